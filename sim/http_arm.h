#pragma once

#include <memory>
#include <string>

#include "sim/arms.h"
#include "sim/http_client.h"

namespace foldrank::sim {

// A running foldrank server as the ranker under simulation, over HTTP only: real
// GET /search and POST /click requests, folds through POST /admin/fold, and
// evaluation through admin-only deterministic, unlogged searches. Proves that the
// whole product learns, not just the learner. The server's settle window applies:
// Learn() waits until every click has been folded.
class HttpArm final : public Arm {
 public:
  static Result<std::unique_ptr<HttpArm>> Connect(const std::string& url, std::string admin_token);

  Result<Shown> Serve(const std::string& query, const std::string& user) override;
  void Click(const Shown& shown, int position) override;
  Status Learn() override;
  Result<std::vector<std::string>> Rank(const std::string& query) override;

 private:
  HttpArm(std::unique_ptr<HttpClient> client, std::string admin_token)
      : client_(std::move(client)), admin_token_(std::move(admin_token)) {}
  Result<Shown> Search(const std::string& target, bool admin);
  std::map<std::string, std::string> AdminHeaders() const;

  std::unique_ptr<HttpClient> client_;
  std::string admin_token_;
  Status click_error_;  // The first click the server refused; reported by Learn().
  std::uint64_t next_event_ = 0;
  std::string run_id_;
};

}  // namespace foldrank::sim
