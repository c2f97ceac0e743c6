#include "tests/http/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <thread>

namespace foldrank::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

HttpReply Http(std::uint16_t port, const std::string& method, const std::string& target,
               const std::string& body, const std::map<std::string, std::string>& headers) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.expires_after(std::chrono::seconds(30));
  bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
  request.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));  // As browsers send it.
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") request.prepare_payload();
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  parser.skip(method == "HEAD");  // Content-Length is GET's; no body follows.
  bhttp::read(stream, buffer, parser);
  HttpReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = parser.get().body();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return reply;
}

std::string Raw(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout,
                const std::string& more, std::chrono::milliseconds pause) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  // The server may answer and stop reading before all is sent (an oversized body):
  // write errors are expected then; what it answered is still read below.
  beast::error_code error;
  net::write(socket, net::buffer(bytes), error);
  if (pause.count() > 0) std::this_thread::sleep_for(pause);
  if (!more.empty() && !error) net::write(socket, net::buffer(more), error);
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  socket.non_blocking(true);
  char chunk[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    const std::size_t n = socket.read_some(net::buffer(chunk), error);
    if (error == net::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (error) break;  // Closed by the server.
    received.append(chunk, n);
  }
  return received;
}

}  // namespace foldrank::testing
