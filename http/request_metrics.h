#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace foldrank::http {

// What a request was for; the label of its metrics.
enum class Route {
  kSearch,
  kClick,
  kDocuments,
  kAdmin,
  kMetrics,
  kWeb,
  kPreflight,
  kNotFound,
  kCount,
};
std::string_view RouteName(Route route);

// Request counts by route and status, latency histograms by route, and the last
// minute's latency percentiles. Recording takes no lock (relaxed atomics); a reader
// may see a request counted in one figure and not yet in another.
class RequestMetrics {
 public:
  RequestMetrics();

  void Record(Route route, int status, double seconds);

  // Prometheus text exposition of the counters and histograms above.
  std::string RenderPrometheus() const;

  struct Window {
    std::uint64_t requests = 0;
    double p50_ms = 0;
    double p99_ms = 0;
  };
  // Requests that finished in the last 60 s; percentiles to within one bucket (25%).
  Window LastMinute() const;
  std::uint64_t total() const;

 private:
  static constexpr std::array<int, 19> kStatuses = {200, 201, 202, 204, 400, 401, 403,
                                                    404, 405, 408, 409, 413, 415, 422,
                                                    429, 431, 500, 503, 0 /* other */};
  static constexpr std::array<double, 14> kBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::kCount);
  // Fine log-spaced buckets for the window: 50 us x 1.25^i.
  static constexpr std::size_t kFineBuckets = 64;
  struct Second {
    std::atomic<std::int64_t> epoch{-1};
    std::array<std::atomic<std::uint64_t>, kFineBuckets> counts{};
  };

  std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kRoutes> requests_{};
  std::array<std::array<std::atomic<std::uint64_t>, kBounds.size() + 1>, kRoutes> buckets_{};
  std::array<std::atomic<std::uint64_t>, kRoutes> sum_micros_{};
  std::array<Second, 60> seconds_{};
};

}  // namespace foldrank::http
