#include "sim/http_arm.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "http/query_string.h"

namespace foldrank::sim {

using http::PercentEncode;

Result<std::unique_ptr<HttpArm>> HttpArm::Connect(const std::string& url, std::string admin_token) {
  auto client = HttpClient::Open(url);
  if (!client) return client.error();
  std::unique_ptr<HttpArm> arm(new HttpArm(std::move(*client), std::move(admin_token)));
  arm->run_id_ = std::to_string(std::random_device{}());  // Event ids unique across runs.
  return arm;
}

std::map<std::string, std::string> HttpArm::AdminHeaders() const {
  if (admin_token_.empty()) return {};
  return {{"Authorization", "Bearer " + admin_token_}};
}

Result<Arm::Shown> HttpArm::Search(const std::string& target, bool admin) {
  auto reply = client_->Request("GET", target, "",
                                admin ? AdminHeaders() : std::map<std::string, std::string>{});
  if (!reply) return reply.error();
  if (reply->status != 200) {
    return Status::Unavailable("GET " + target + ": " + std::to_string(reply->status) + " " +
                               reply->body);
  }
  const auto page = nlohmann::json::parse(reply->body, nullptr, false);
  if (page.is_discarded()) return Status::Corruption("GET " + target + ": not JSON");
  Shown shown;
  shown.query_id = page.value("query_id", "");
  for (const auto& result : page["results"]) shown.ids.push_back(result["id"]);
  return shown;
}

Result<Arm::Shown> HttpArm::Serve(const std::string& query, const std::string& user) {
  return Search("/search?k=10&q=" + PercentEncode(query) + "&user=" + PercentEncode(user), false);
}

Result<std::vector<std::string>> HttpArm::Rank(const std::string& query) {
  auto shown = Search("/search?k=10&explore=0&log=0&q=" + PercentEncode(query), true);
  if (!shown) return shown.error();
  return std::move(shown->ids);
}

void HttpArm::Click(const Shown& shown, int position) {
  const nlohmann::json click = {
      {"query_id", shown.query_id},
      {"doc_id", shown.ids[static_cast<std::size_t>(position)]},
      {"position", position},
      {"event_id", "sim-" + run_id_ + "-" + std::to_string(next_event_++)}};
  auto reply =
      client_->Request("POST", "/click", click.dump(), {{"Content-Type", "application/json"}});
  if (click_error_.ok()) {
    if (!reply) {
      click_error_ = reply.error();
    } else if (reply->status != 202) {
      click_error_ =
          Status::Unavailable("POST /click: " + std::to_string(reply->status) + " " + reply->body);
    }
  }
}

Status HttpArm::Learn() {
  FOLDRANK_RETURN_IF_ERROR(click_error_);
  // Fold until nothing is pending; the server folds only what has settled.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto folded = client_->Request("POST", "/admin/fold", "", AdminHeaders());
    if (!folded) return folded.error();
    if (folded->status != 200 && folded->status != 409) {
      return Status::Unavailable("POST /admin/fold: " + std::to_string(folded->status) + " " +
                                 folded->body);
    }
    auto status = client_->Request("GET", "/admin/status", "", AdminHeaders());
    if (!status) return status.error();
    const auto report = nlohmann::json::parse(status->body, nullptr, false);
    if (report.is_discarded() || !report.contains("feedback")) {
      return Status::Unavailable("GET /admin/status: " + status->body.substr(0, 200));
    }
    if (report["feedback"]["clicks"]["pending"] == 0 &&
        report["feedback"]["impressions_unsettled"] == 0) {
      return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::Unavailable("the server did not fold every click within 60 s");
}

}  // namespace foldrank::sim
