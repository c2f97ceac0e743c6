#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/service.h"
#include "feedback/pdgd.h"
#include "feedback/sqlite_ledger.h"
#include "foldrank/result.h"

namespace foldrank::sim {

// One ranker under simulation: serves a query, takes the user's clicks, learns from
// them when told to, and ranks deterministically (unlogged) for offline evaluation.
class Arm {
 public:
  virtual ~Arm() = default;
  struct Shown {
    std::string query_id;
    std::vector<std::string> ids;  // Best first.
  };
  virtual Result<Shown> Serve(const std::string& query, const std::string& user) = 0;
  virtual void Click(const Shown& shown, int position) = 0;
  virtual Status Learn() = 0;
  virtual Result<std::vector<std::string>> Rank(const std::string& query) = 0;
};

// foldrank itself on a data directory: serves with exploration and logs impressions;
// Learn() stores the clicks (one group commit) and folds them. With learning off it
// is the base alone, served deterministically.
class ServiceArm final : public Arm {
 public:
  struct Options {
    bool learn = true;
    double temperature = 0.1;
    LearnerOptions learner;  // debias = false: pairwise learning without PDGD's weights.
    std::uint64_t seed = 1;  // Of the exploration: runs are reproducible.
    // > 0: the batch-retrain reference. After each Learn(), the model in force is
    // replaced by the learner retrained from the base on the whole click log, this
    // many passes (sim/references.h).
    int batch_epochs = 0;
    // RandPair share of served rankings (position-bias estimates); off by default so
    // that learning figures measure learning alone.
    double randpair_share = 0;
    CertificationOptions certification;  // Off by default.
    // Bound of the click features' in-memory (query, document) counts, as served.
    std::size_t click_pairs_max = ServiceOptions{}.click_pairs_max;
  };
  // `data_dir` holds an index; the ledger is created fresh.
  static Result<std::unique_ptr<ServiceArm>> Open(const std::filesystem::path& data_dir,
                                                  Options options);

  Result<Shown> Serve(const std::string& query, const std::string& user) override;
  void Click(const Shown& shown, int position) override;
  Status Learn() override;
  Result<std::vector<std::string>> Rank(const std::string& query) override;

  Service& service() { return *service_; }

 private:
  ServiceArm(std::unique_ptr<Service> service, Options options,
             std::unique_ptr<SqliteLedger> log_reader)
      : service_(std::move(service)),
        log_reader_(std::move(log_reader)),
        options_(std::move(options)),
        rng_(options_.seed) {}
  std::unique_ptr<Service> service_;
  std::unique_ptr<SqliteLedger> log_reader_;  // For batch retrains: the ledger, read apart.
  Options options_;
  std::mt19937_64 rng_;
  std::vector<foldrank::Click> pending_;
  std::uint64_t next_event_ = 0;
};

// Naive click counting, as popularity counters do: the base's top candidates
// reordered by raw click-through (clicks / times shown) for the query.
class CountingArm final : public Arm {
 public:
  static Result<std::unique_ptr<CountingArm>> Open(const std::filesystem::path& data_dir);

  Result<Shown> Serve(const std::string& query, const std::string& user) override;
  void Click(const Shown& shown, int position) override;
  Status Learn() override { return Status::Ok(); }
  Result<std::vector<std::string>> Rank(const std::string& query) override;

 private:
  explicit CountingArm(std::unique_ptr<Service> service) : service_(std::move(service)) {}
  std::unique_ptr<Service> service_;
  struct Counts {
    double shown = 0;
    double clicked = 0;
  };
  std::map<std::pair<std::string, std::string>, Counts> counts_;  // (query, doc).
  std::string last_query_;
};

}  // namespace foldrank::sim
