#include <algorithm>
#include <charconv>

#include "http/endpoints.h"

namespace foldrank::http {

std::string ErrorBody(const ApiError& error) {
  return nlohmann::json{{"error", error.code}, {"message", error.message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ApiResponse JsonResponse(int status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  // Invalid UTF-8 cannot reach here from clients (inputs are validated), but a
  // stored field might hold some: replace rather than throw.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse ErrorResponse(const ApiError& error) {
  ApiResponse response;
  response.status = error.status;
  response.body = ErrorBody(error);
  return response;
}

ApiResponse InternalError(const Status& status) {
  // The cause may quote a library (Lucene++, SQLite): it goes to the server's log,
  // the client gets our words.
  ApiResponse response = ErrorResponse(
      {503, "unavailable",
       "the server could not complete this request (its index or ledger failed); try again, "
       "and if it persists its operator finds the cause in the server's log"});
  response.detail = status.ToString();
  return response;
}

Result<long long> ParseInteger(std::string_view name, std::string_view text, long long min,
                               long long max) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("'" + std::string(name) + "' must be an integer, not '" +
                                   std::string(text.substr(0, 40)) + "'");
  }
  if (value < min || value > max) {
    return Status::InvalidArgument("'" + std::string(name) + "' must be between " +
                                   std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

double Percentile(std::vector<std::int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return static_cast<double>(values[rank]);
}

}  // namespace foldrank::http
