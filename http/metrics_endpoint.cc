#include <cstdio>

#include "common/clock.h"
#include "http/endpoints.h"

namespace foldrank::http {

ApiResponse Metrics(const EndpointContext& context) {
  const EngineStatus status = context.engine.Report();
  std::string out = context.metrics.RenderPrometheus();
  auto gauge = [&](const char* name, const char* help, const char* type, double value,
                   const std::string& labels = "") {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    char line[160];
    std::snprintf(line, sizeof(line), "%s%s %.17g\n", name, labels.c_str(), value);
    out += line;
  };
  const ClickTally& clicks = status.clicks;
  out +=
      "# HELP foldrank_clicks_total Clicks reported, by outcome.\n"
      "# TYPE foldrank_clicks_total counter\n";
  for (const auto& [outcome, count] : {std::pair{"accepted", clicks.accepted},
                                       {"duplicate", clicks.duplicate},
                                       {"unknown_query", clicks.unknown_query},
                                       {"not_shown", clicks.not_shown},
                                       {"wrong_position", clicks.wrong_position},
                                       {"failed", clicks.failed}}) {
    out += std::string("foldrank_clicks_total{outcome=\"") + outcome + "\"} " +
           std::to_string(count) + "\n";
  }
  gauge("foldrank_click_commits_total",
        "Transactions that stored clicks; clicks per commit grow with concurrent clicks.",
        "counter", static_cast<double>(clicks.commits));
  gauge("foldrank_impressions_written_total", "Impressions stored in the ledger.", "counter",
        static_cast<double>(status.impressions.written));
  gauge("foldrank_impressions_dropped_total", "Impressions dropped: the log queue was full.",
        "counter", static_cast<double>(status.impressions.dropped));
  gauge("foldrank_impressions_failed_total", "Impressions the ledger refused.", "counter",
        static_cast<double>(status.impressions.failed));
  gauge("foldrank_clicks_pending", "Stored clicks not folded yet.", "gauge",
        static_cast<double>(status.ledger.unfolded_clicks));
  gauge("foldrank_fold_lag_seconds", "Time since the last fold that folded anything.", "gauge",
        status.last_fold_ms == 0 ? 0 : (UnixMillis() - status.last_fold_ms) / 1000.0);
  gauge("foldrank_click_to_model_seconds", "Click stored to the fold that included it (p99).",
        "gauge", Percentile(status.click_to_model_ms, 0.99) / 1000.0, "{quantile=\"0.99\"}");
  gauge("foldrank_model_version", "The model version in force.", "gauge",
        static_cast<double>(status.model.version));
  gauge("foldrank_learner_updates", "Impressions the learner has learned from.", "gauge",
        static_cast<double>(status.learner_updates));
  gauge("foldrank_documents", "Live documents in the index.", "gauge",
        static_cast<double>(status.documents));
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
        static_cast<double>(status.memory.resident_bytes));
  gauge("foldrank_sqlite_memory_bytes", "Heap held by SQLite (page caches, statements).", "gauge",
        static_cast<double>(status.memory.sqlite_bytes));
  gauge("foldrank_click_count_pairs",
        "(Query, document) click counts held in memory for click features.", "gauge",
        static_cast<double>(status.memory.click_count_pairs));
  gauge("foldrank_click_count_pairs_dropped_total",
        "(Query, document) click counts dropped from memory to stay within the bound.", "counter",
        static_cast<double>(status.memory.click_count_pairs_dropped));
  gauge("foldrank_click_count_documents", "Document click counts held in memory.", "gauge",
        static_cast<double>(status.memory.click_count_documents));
  gauge("foldrank_click_count_loads_total",
        "Loads of every click count from the ledger (at start, and after merges not followed).",
        "counter", static_cast<double>(status.memory.click_count_loads));
  const CertificationState& certification = status.certification;
  gauge("foldrank_certified_version", "The last certified (or pinned) model version.", "gauge",
        static_cast<double>(certification.certified));
  gauge("foldrank_learning_version", "The learning model version (folds build on it).", "gauge",
        static_cast<double>(certification.learning));
  gauge("foldrank_certifications_total", "Learning models certified by the gate.", "counter",
        static_cast<double>(certification.certifications));
  gauge("foldrank_rollbacks_total", "Learning models the gate rolled back.", "counter",
        static_cast<double>(certification.rollbacks));
  if (!status.position_bias.examination.empty()) {
    out +=
        "# HELP foldrank_position_examination Expected clicks at a position relative to the "
        "top (alpha + beta of the position-bias estimate in use).\n"
        "# TYPE foldrank_position_examination gauge\n";
    for (std::size_t p = 0; p < status.position_bias.examination.size(); ++p) {
      char line[120];
      std::snprintf(line, sizeof(line), "foldrank_position_examination{position=\"%zu\"} %.6g\n", p,
                    status.position_bias.examination[p]);
      out += line;
    }
  }
  ApiResponse response;
  response.content_type = "text/plain; version=0.0.4";
  response.body = std::move(out);
  return response;
}

}  // namespace foldrank::http
