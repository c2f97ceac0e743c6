#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "foldrank/result.h"
#include "http/api.h"

namespace foldrank::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (see Server::port()).
  int threads = 2;
  std::size_t max_header_bytes = 8 * 1024;
  // A request must arrive whole within this time, and an idle keep-alive connection
  // is closed after it: slow or silent clients cannot hold a connection for long.
  std::chrono::milliseconds request_timeout{10'000};
  // How long Stop() waits for requests in flight before closing them.
  std::chrono::milliseconds shutdown_grace{15'000};
};

// The HTTP/1.1 server (Boost.Beast, asynchronous, keep-alive) in front of an Api:
// enforces header and body limits and timeouts, answers malformed requests with
// 4xx, and writes one JSON line per request to the access log (method, path without
// the query string, status, duration, query id; never headers, so never the token).
class Server {
 public:
  // Binds, listens and starts `threads` threads. `access_log` may be null.
  static Result<std::unique_ptr<Server>> Start(Api& api, ServerOptions options,
                                               std::ostream* access_log);
  // Stops (as Stop()) if still running.
  ~Server();

  std::uint16_t port() const;

  // Graceful: stops accepting, closes idle connections, lets requests in flight
  // finish (up to shutdown_grace), then stops the threads. Idempotent.
  void Stop();
  // Blocks until SIGINT or SIGTERM arrives (then returns; call Stop()) or Stop() ran.
  void WaitForSignal();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank::http
