// The JSONL document parser: any bytes give a Document or InvalidArgument, and a
// parsed document survives its own serialization unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "foldrank/document.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using foldrank::fuzz::Require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto document = foldrank::ParseDocument(text);
  if (!document) {
    Require(document.error().code() == foldrank::Status::Code::kInvalidArgument,
            "a bad document is InvalidArgument");
    Require(!document.error().message().empty(), "a rejection says why");
    return 0;
  }
  const std::string line = foldrank::DocumentToJson(*document);
  auto again = foldrank::ParseDocument(line);
  Require(again.has_value(), "a serialized document parses");
  Require(*again == *document, "a document survives serialization");
  return 0;
}
