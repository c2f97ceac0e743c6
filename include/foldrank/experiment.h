#pragma once

// Interleaving experiments between two model versions, and what their clicks say.
// Part of the public API.
//
// Threading and ownership: plain values that own everything they hold (copy or
// move them freely); like any value, one may be read from many threads at once but
// written from one.

#include <cstdint>
#include <string>

namespace foldrank {

// An interleaving experiment: a share of traffic sees a team-draft interleaving of
// versions a and b, until max_impressions were shown or it is stopped.
struct Experiment {
  std::uint64_t id = 0;
  std::uint64_t a = 0, b = 0;
  double share = 0;
  std::uint64_t max_impressions = 0;
  std::string state = "running";   // running, stopped (by an operator), completed.
  std::string purpose = "manual";  // manual, or canary (certification's).
  std::int64_t created_ms = 0;
  std::int64_t stopped_ms = 0;  // 0 while running.
};

// What an experiment's logged impressions say, clicks credited to teams.
struct ExperimentCounts {
  std::uint64_t impressions = 0;  // Interleaved impressions logged.
  std::uint64_t clicked = 0;      // Of those, with at least one click.
  std::uint64_t wins_a = 0;       // More clicked documents from a's team than b's.
  std::uint64_t wins_b = 0;
  std::uint64_t ties = 0;  // Clicked, as many from each team.
};

// What an interleaving experiment's clicks say so far.
struct InterleavingVerdict {
  // Delta_AB of Chapelle et al. (TOIS 2012): (wins_a - wins_b) / clicked impressions;
  // > 0 favours a.
  double preference = 0;
  // Among impressions with a winner, the share a won, and an anytime-valid interval
  // for it: Hoeffding's bound at n with delta_n = delta / (n (n + 1)), so that it
  // holds at every n at once and may be looked at after every impression.
  double a_share = 0.5, a_share_low = 0, a_share_high = 1;
  // "a" (a_share_low > 0.5), "b" (a_share_high < 0.5), else "continue" (or, at the
  // final look, "inconclusive").
  std::string decision = "continue";
};

// An experiment with what its clicks say so far.
struct ExperimentReport {
  Experiment experiment;
  ExperimentCounts counts;
  InterleavingVerdict verdict;
};

}  // namespace foldrank
