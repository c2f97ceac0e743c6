// The click payload parsers (JSON and form bodies): any bytes give a Click with its
// required fields, or InvalidArgument.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/utf8.h"
#include "fuzz/fuzz_check.h"
#include "http/click_payload.h"

namespace {

void Check(const foldrank::Result<foldrank::Click>& click) {
  using foldrank::fuzz::Require;
  if (!click) {
    Require(click.error().code() == foldrank::Status::Code::kInvalidArgument,
            "a bad click is InvalidArgument");
    return;
  }
  Require(!click->query_id.empty() && !click->doc_id.empty(), "an accepted click has its ids");
  Require(foldrank::IsValidUtf8(click->query_id) && foldrank::IsValidUtf8(click->doc_id) &&
              foldrank::IsValidUtf8(click->event_id),
          "an accepted click's ids are UTF-8");
  Require(click->position >= 0, "an accepted click's position is not negative");
  Require(!click->dwell_ms || *click->dwell_ms >= 0, "dwell is not negative");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  Check(foldrank::http::ClickFromJson(body));
  Check(foldrank::http::ClickFromForm(body));
  return 0;
}
