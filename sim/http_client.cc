#include "sim/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <regex>

namespace foldrank::sim {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct HttpClient::Impl {
  std::string host;
  std::string port;
  net::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void Connect() {
    stream.emplace(io);
    tcp::resolver resolver(io);
    stream->connect(resolver.resolve(host, port));
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Open(const std::string& url) {
  std::smatch parts;
  if (!std::regex_match(url, parts, std::regex(R"(http://([^/:]+):(\d+)/?)"))) {
    return Status::InvalidArgument("expected http://HOST:PORT, not '" + url + "'");
  }
  auto impl = std::make_unique<Impl>();
  impl->host = parts[1];
  impl->port = parts[2];
  try {
    impl->Connect();
  } catch (const std::exception& error) {
    return Status::Unavailable("cannot connect to " + url + ": " + error.what());
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpClient::Reply> HttpClient::Request(const std::string& method, const std::string& target,
                                              const std::string& body,
                                              const std::map<std::string, std::string>& headers) {
  bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
  request.set(bhttp::field::host, impl_->host);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  // One retry on a fresh connection: the server may have closed an idle one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (attempt > 0) impl_->Connect();
      impl_->stream->expires_after(std::chrono::seconds(60));
      bhttp::write(*impl_->stream, request);
      bhttp::response<bhttp::string_body> response;
      bhttp::read(*impl_->stream, impl_->buffer, response);
      Reply reply{static_cast<int>(response.result_int()), std::move(response.body())};
      if (!response.keep_alive()) impl_->Connect();
      return reply;
    } catch (const std::exception& error) {
      if (attempt == 1) return Status::Unavailable(method + " " + target + ": " + error.what());
    }
  }
  return Status::Internal("unreachable");
}

}  // namespace foldrank::sim
