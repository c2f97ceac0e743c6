#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "feedback/ledger.h"
#include "feedback/pdgd.h"
#include "foldrank/result.h"

namespace foldrank {

struct FolderOptions {
  // An impression is folded once no click has arrived for it for this long (ms).
  std::int64_t settle_ms = 2000;
  // Impressions per fold (one model version at most per fold).
  std::size_t max_impressions = 100;
  LearnerOptions learner;
  // Expected clicks of a document shown at position p (a position-bias estimate's
  // examination); positions past the end, or an empty table, use ExaminationPrior.
  std::vector<double> examination;
};

struct FoldResult {
  std::size_t impressions = 0;                 // Settled in this fold.
  std::size_t clicks = 0;                      // Folded in this fold.
  std::optional<Model> model;                  // The new version, when there were clicks.
  std::vector<FoldCommit::CountDelta> counts;  // Click-count deltas committed.
  // The count log's position before and after them (FoldCommit's).
  std::int64_t counts_seq_before = 0;
  std::int64_t counts_seq = 0;
  // For each folded click: from the ledger storing it to this fold's commit.
  std::vector<std::int64_t> click_to_fold_ms;
};

// Turns settled impressions and their clicks into a new model version, exactly
// once: the version, its clicks' folded marks and the click counts are one ledger
// transaction, and the transaction aborts if another folder got there first. Not
// thread-safe: one Folder per ledger at a time.
class Folder {
 public:
  Folder(Ledger& ledger, FolderOptions options) : ledger_(ledger), options_(std::move(options)) {}

  // Folds what has settled by now_ms on top of the model in force.
  Result<FoldResult> FoldOnce(std::int64_t now_ms);

  // Replaces the expected-clicks table (FolderOptions::examination) for later folds.
  void SetExamination(std::vector<double> examination) {
    options_.examination = std::move(examination);
  }

 private:
  double Examination(std::int32_t position) const;

  Ledger& ledger_;
  FolderOptions options_;
};

}  // namespace foldrank
