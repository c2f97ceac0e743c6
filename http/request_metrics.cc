#include "http/request_metrics.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace foldrank::http {
namespace {

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr double kFineBase = 50e-6, kFineGrowth = 1.25;

std::size_t FineBucket(double seconds) {
  if (!(seconds > kFineBase)) return 0;
  const double i = std::ceil(std::log(seconds / kFineBase) / std::log(kFineGrowth));
  return static_cast<std::size_t>(std::min(i, 63.0));
}

}  // namespace

std::string_view RouteName(Route route) {
  switch (route) {
    case Route::kSearch:
      return "search";
    case Route::kClick:
      return "click";
    case Route::kDocuments:
      return "documents";
    case Route::kAdmin:
      return "admin";
    case Route::kMetrics:
      return "metrics";
    case Route::kWeb:
      return "web";
    case Route::kPreflight:
      return "preflight";
    case Route::kNotFound:
      return "not_found";
    case Route::kCount:
      break;
  }
  return "unknown";
}

RequestMetrics::RequestMetrics() = default;

void RequestMetrics::Record(Route route, int status, double seconds) {
  const auto r = static_cast<std::size_t>(route);
  std::size_t s = kStatuses.size() - 1;
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) s = i;
  }
  requests_[r][s].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBounds.size() && seconds > kBounds[b]) ++b;
  buckets_[r][b].fetch_add(1, std::memory_order_relaxed);
  sum_micros_[r].fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);

  const std::int64_t now = NowSeconds();
  Second& slot = seconds_[static_cast<std::size_t>(now % 60)];
  std::int64_t epoch = slot.epoch.load(std::memory_order_acquire);
  if (epoch != now && slot.epoch.compare_exchange_strong(epoch, now)) {
    // A new second reuses the slot; a request racing with this reset may be lost.
    for (auto& count : slot.counts) count.store(0, std::memory_order_relaxed);
  }
  slot.counts[FineBucket(seconds)].fetch_add(1, std::memory_order_relaxed);
}

RequestMetrics::Window RequestMetrics::LastMinute() const {
  std::array<std::uint64_t, kFineBuckets> counts{};
  const std::int64_t now = NowSeconds();
  Window window;
  for (const Second& slot : seconds_) {
    if (now - slot.epoch.load(std::memory_order_acquire) >= 60) continue;
    for (std::size_t i = 0; i < kFineBuckets; ++i) {
      counts[i] += slot.counts[i].load(std::memory_order_relaxed);
    }
  }
  for (std::uint64_t c : counts) window.requests += c;
  auto percentile = [&](double p) {
    const double rank = p * static_cast<double>(window.requests);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kFineBuckets; ++i) {
      seen += counts[i];
      if (static_cast<double>(seen) >= rank) return kFineBase * std::pow(kFineGrowth, i) * 1e3;
    }
    return 0.0;
  };
  if (window.requests > 0) {
    window.p50_ms = percentile(0.5);
    window.p99_ms = percentile(0.99);
  }
  return window;
}

std::uint64_t RequestMetrics::total() const {
  std::uint64_t sum = 0;
  for (const auto& route : requests_) {
    for (const auto& count : route) sum += count.load(std::memory_order_relaxed);
  }
  return sum;
}

std::string RequestMetrics::RenderPrometheus() const {
  std::string out;
  char line[256];
  out += "# HELP foldrank_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE foldrank_http_requests_total counter\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    const std::string route(RouteName(static_cast<Route>(r)));
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      const std::uint64_t count = requests_[r][s].load(std::memory_order_relaxed);
      if (count == 0) continue;
      const std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      std::snprintf(line, sizeof(line),
                    "foldrank_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                    route.c_str(), status.c_str(), static_cast<unsigned long long>(count));
      out += line;
    }
  }
  out += "# HELP foldrank_http_request_duration_seconds Time from request read to response.\n";
  out += "# TYPE foldrank_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    const std::string route(RouteName(static_cast<Route>(r)));
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBounds.size(); ++b) {
      cumulative += buckets_[r][b].load(std::memory_order_relaxed);
      if (b < kBounds.size()) {
        std::snprintf(
            line, sizeof(line),
            "foldrank_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
            route.c_str(), kBounds[b], static_cast<unsigned long long>(cumulative));
      } else {
        std::snprintf(line, sizeof(line),
                      "foldrank_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} "
                      "%llu\n",
                      route.c_str(), static_cast<unsigned long long>(cumulative));
      }
      out += line;
    }
    std::snprintf(line, sizeof(line),
                  "foldrank_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "foldrank_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route.c_str(), sum_micros_[r].load(std::memory_order_relaxed) / 1e6,
                  route.c_str(), static_cast<unsigned long long>(cumulative));
    out += line;
  }
  return out;
}

}  // namespace foldrank::http
