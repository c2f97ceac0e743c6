#pragma once

// Clicks as a site reports them. Part of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.

#include <cstdint>
#include <optional>
#include <string>

namespace foldrank {

// A click as reported by a site.
struct Click {
  std::string event_id;  // Idempotency key; empty: the engine generates one.
  std::string query_id;
  std::string doc_id;
  std::int32_t position = 0;    // 0-based position the user clicked.
  std::int64_t clicked_ms = 0;  // Unix ms; 0: when the engine receives it.
  std::optional<std::int64_t> dwell_ms;
};

// What became of a reported click.
enum class ClickOutcome {
  kAccepted,   // Durably stored; will be folded once.
  kDuplicate,  // Same event id as a stored click: acknowledged, not stored twice.
};

}  // namespace foldrank
