// The model loader (imports, the ledger's stored versions): any bytes give a Model
// or an error, and a loaded model's JSON loads back into the same JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ranker/model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using foldrank::fuzz::Require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto model = foldrank::Model::FromJson(text);
  if (!model) {
    Require(!model.error().message().empty(), "a rejection says why");
    return 0;
  }
  const std::string json = model->ToJson();
  auto again = foldrank::Model::FromJson(json);
  Require(again.has_value(), "a written model loads");
  Require(again->ToJson() == json, "a model survives writing and loading");
  return 0;
}
