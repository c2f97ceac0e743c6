#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "foldrank/document.h"
#include "fuzz/fuzz_check.h"

namespace foldrank::fuzz {

// A fresh directory under the system's temp dir for this fuzzing process, removed
// when the process exits normally (a crash leaves it for inspection).
inline const std::filesystem::path& ProcessDataDir() {
  static const std::filesystem::path dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "foldrank-fuzz-XXXXXX").string();
    Require(mkdtemp(pattern.data()) != nullptr, "a temp dir for the fuzz target");
    std::atexit([] { std::filesystem::remove_all(ProcessDataDir()); });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// A few documents for the index-backed targets.
inline constexpr const char* kFuzzDocuments[] = {
    R"({"id":"apple-pie","title":"Apple pie","body":"Bake apples in a buttery crust.","tags":["dessert","baking"],"popularity":12})",
    R"({"id":"apple-cider","title":"Apple cider","body":"Pressed apples, fermented slowly.","tags":["drink"]})",
    R"({"id":"pear-tart","title":"Pear tart","body":"Pears and almond cream; apples work too.","updated_at":"2024-05-01T10:00:00Z"})",
    R"({"id":"bread","title":"Sourdough bread","body":"Flour, water, salt and time.","url":"https://example.org/bread"})",
    R"({"id":"soup","title":"Onion soup","body":"Onions, stock and bread under cheese.","tags":["soup","french"]})",
};

// Loads kFuzzDocuments into `store` (an Index or a Service) and makes them
// searchable.
template <typename Store>
void LoadFuzzDocuments(Store& store) {
  for (const char* line : kFuzzDocuments) {
    auto document = ParseDocument(line);
    Require(document.has_value() && store.Upsert(*document).has_value(), "a fuzz document loads");
  }
  Require(store.Refresh().ok(), "the fuzz index refreshes");
}

}  // namespace foldrank::fuzz
