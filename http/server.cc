#include "http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "http/api_error.h"

namespace foldrank::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class Session;

struct Server::Impl {
  Impl(Api& api_in, ServerOptions options_in, std::ostream* log)
      : api(api_in), options(std::move(options_in)), access_log(log), acceptor(io) {}

  void Accept();
  void Log(const ApiRequest& request, const ApiResponse& response, double seconds);
  void SessionStarted(const std::shared_ptr<Session>& session);
  void SessionEnded(Session* session);

  Api& api;
  const ServerOptions options;
  std::ostream* access_log;
  net::io_context io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work{io.get_executor()};
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  bool stopped = false;  // Guarded by stop_mu.
  std::mutex stop_mu;
  std::condition_variable stop_cv;

  std::mutex log_mu;
  std::mutex sessions_mu;
  std::condition_variable sessions_cv;
  // Open connections, for Stop() (guarded by sessions_mu); a session removes itself
  // as it is destroyed.
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

// One connection: reads requests one after another (keep-alive), hands each to the
// Api, writes the answer. Everything runs on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}
  ~Session() { server_.SessionEnded(this); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From Stop(): an idle connection closes now; a busy one after its answer.
  void Shutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
      }
    });
  }

 private:
  // RFC 9112's framing rules for a request head, as an error to answer with: one
  // Host (required in HTTP/1.1), and no transfer coding but a lone "chunked" (what
  // Beast decodes; any other would leave the body's end unknown).
  static std::optional<ApiError> FramingError(
      const bhttp::request_parser<bhttp::string_body>::value_type& header) {
    const auto hosts = header.count(bhttp::field::host);
    if (hosts > 1)
      return ApiError{400, "bad_host", "a request carries one Host header, not several"};
    if (hosts == 0 && header.version() >= 11) {
      return ApiError{400, "missing_host", "an HTTP/1.1 request needs a Host header"};
    }
    const auto codings = header.count(bhttp::field::transfer_encoding);
    if (codings == 0) return std::nullopt;
    const auto field = header[bhttp::field::transfer_encoding];
    std::string_view coding(field.data(), field.size());
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t'))
      coding.remove_prefix(1);
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t'))
      coding.remove_suffix(1);
    if (codings > 1 ||
        !beast::iequals(beast::string_view(coding.data(), coding.size()), "chunked")) {
      return ApiError{501, "unsupported_transfer_encoding",
                      "this server takes request bodies with Content-Length or "
                      "'Transfer-Encoding: chunked' alone"};
    }
    if (header.count(bhttp::field::content_length) > 0) {
      return ApiError{400, "bad_framing",
                      "a request carries Content-Length or Transfer-Encoding, not both"};
    }
    if (header.version() < 11) {
      return ApiError{400, "bad_framing", "HTTP/1.0 has no chunked transfer coding"};
    }
    return std::nullopt;
  }

  void ReadHeader() {
    if (server_.stopping.load()) return Close();
    idle_ = buffer_.size() == 0;
    head_ = ApiRequest();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    // Beast checks Content-Length against the limit when the header completes, before
    // the route is known: allow the largest here, check the route's in OnHeader.
    parser_->body_limit(server_.api.LargestBodyLimit());
    stream_.expires_after(server_.options.request_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code error, std::size_t) {
                               self->OnHeader(error);
                             });
  }

  void OnHeader(beast::error_code error) {
    idle_ = false;
    if (error) return OnReadError(error);
    started_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    head_ = ApiRequest();
    head_.method = std::string(header.method_string());
    head_.target = std::string(header.target());
    head_.host = std::string(header[bhttp::field::host]);
    head_.content_type = std::string(header[bhttp::field::content_type]);
    head_.authorization = std::string(header[bhttp::field::authorization]);
    head_.cookie = std::string(header[bhttp::field::cookie]);
    head_.origin = std::string(header[bhttp::field::origin]);
    keep_alive_ = header.keep_alive();
    if (auto refused = FramingError(header)) {
      // The body's extent is unknown or disputed: never read it (it could be read
      // as a second request, RFC 9112 6.3), answer and close.
      keep_alive_ = false;
      ApiResponse response;
      response.status = refused->status;
      response.body = ErrorBody(*refused);
      return Write(head_, std::move(response));
    }
    const std::size_t limit = server_.api.BodyLimit(head_.method, head_.target);
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return OnReadError(bhttp::error::body_limit);
    }
    parser_->body_limit(limit);  // A chunked body is counted as it arrives.
    std::optional<StreamStart> stream = server_.api.StartStream(head_);
    if (stream && stream->response) {
      keep_alive_ = false;  // The body is not read: the connection cannot go on.
      return Write(head_, std::move(*stream->response));
    }
    if (stream) sink_ = std::move(stream->sink);
    auto go_on = [self = shared_from_this()] {
      if (self->sink_ && self->parser_->is_done()) {
        // The body is complete already (Content-Length: 0): nothing to wait for.
        ApiResponse response = self->sink_->Finish();
        self->sink_.reset();
        return self->Write(self->head_, std::move(response));
      }
      if (self->sink_) {
        self->stream_parser_.emplace(std::move(*self->parser_));
        self->stream_parser_->body_limit(
            self->server_.api.BodyLimit(self->head_.method, self->head_.target));
        self->chunk_.resize(64 * 1024);
        self->ReadChunk();
      } else {
        self->ReadBody();
      }
    };
    if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
      auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                          header.version());
      bhttp::async_write(
          stream_, *interim,
          [self = shared_from_this(), interim, go_on](beast::error_code e, std::size_t) {
            if (e) return self->Close();
            go_on();
          });
      return;
    }
    go_on();
  }

  // A streamed body: each chunk goes to the sink as it arrives. The timeout applies
  // per chunk, so a long upload that keeps moving is not cut off.
  void ReadChunk() {
    auto& body = stream_parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    stream_.expires_after(server_.options.request_timeout);
    bhttp::async_read_some(stream_, buffer_, *stream_parser_,
                           [self = shared_from_this()](beast::error_code error, std::size_t) {
                             self->OnChunk(error);
                           });
  }

  void OnChunk(beast::error_code error) {
    if (error == bhttp::error::need_buffer) error = {};
    if (error) {
      sink_.reset();
      stream_parser_.reset();
      return OnReadError(error);
    }
    const std::size_t received = chunk_.size() - stream_parser_->get().body().size;
    sink_->Write(std::string_view(chunk_.data(), received));
    if (!stream_parser_->is_done()) return ReadChunk();
    ApiResponse response = sink_->Finish();
    sink_.reset();
    stream_parser_.reset();
    chunk_.clear();
    chunk_.shrink_to_fit();
    Write(head_, std::move(response));
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) return self->OnReadError(error);
                        self->OnRequest();
                      });
  }

  void OnReadError(beast::error_code error) {
    if (error == bhttp::error::end_of_stream || error == net::error::operation_aborted ||
        error == beast::error::timeout || error == net::error::connection_reset ||
        error == net::error::eof) {
      return Close();
    }
    ApiError answer{400, "bad_request",
                    "the request is not well-formed HTTP/1.1 (its request line, a header, or its "
                    "body's framing)"};
    if (error == bhttp::error::header_limit) {
      answer = {
          431, "header_too_large",
          "request headers exceed " + std::to_string(server_.options.max_header_bytes) + " bytes"};
    } else if (error == bhttp::error::body_limit) {
      answer = {413, "body_too_large", "request body exceeds this route's limit"};
    }
    // The request cannot be trusted past the error: answer, then close.
    ApiResponse response;
    response.status = answer.status;
    response.body = ErrorBody(answer);
    keep_alive_ = false;
    Write(head_, std::move(response));
  }

  void OnRequest() {
    bhttp::request<bhttp::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    ApiRequest request = head_;
    request.body = std::move(message.body());
    auto shared_request = std::make_shared<ApiRequest>(std::move(request));
    server_.api.Handle(*shared_request,
                       [self = shared_from_this(), shared_request](ApiResponse response) {
                         // Possibly on another thread (a click's writer): back to the strand.
                         net::post(self->stream_.get_executor(),
                                   [self, shared_request, r = std::move(response)]() mutable {
                                     self->Write(*shared_request, std::move(r));
                                   });
                       });
  }

  void Write(const ApiRequest& request, ApiResponse answer) {
    auto response = std::make_shared<bhttp::response<bhttp::string_body>>();
    response->version(11);
    response->result(static_cast<unsigned>(answer.status));
    response->set(bhttp::field::server, "foldrank");
    if (!answer.content_type.empty()) {
      response->set(bhttp::field::content_type, answer.content_type);
    }
    response->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : answer.headers) response->set(name, value);
    response->body() = std::move(answer.body);
    response->keep_alive(keep_alive_ && !server_.stopping.load());
    response->prepare_payload();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    server_.api.metrics().Record(answer.route, answer.status, seconds);
    server_.Log(request, answer, seconds);
    stream_.expires_after(server_.options.request_timeout);
    auto next = [self = shared_from_this(), response](beast::error_code error, std::size_t) {
      if (error || !response->keep_alive()) return self->Close();
      self->ReadHeader();
    };
    if (request.method == "HEAD") {
      // The header GET would send, Content-Length included, and no body.
      auto serializer = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*response);
      bhttp::async_write_header(
          stream_, *serializer,
          [serializer, next](beast::error_code error, std::size_t n) { next(error, n); });
      return;
    }
    bhttp::async_write(stream_, *response, std::move(next));
  }

  // A lingering close: stop sending, then read and discard what the client still
  // sends (briefly) before closing. Closing with unread input would reset the
  // connection, and a client still sending an oversized body would lose the 413
  // it was just sent.
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    Drain(0);
  }
  void Drain(std::size_t drained) {
    constexpr std::size_t kMaxDrain = 1 << 20;
    if (drained > kMaxDrain) return stream_.close();
    if (chunk_.size() < 4096) chunk_.resize(4096);
    stream_.async_read_some(net::buffer(chunk_), [self = shared_from_this(), drained](
                                                     beast::error_code error, std::size_t n) {
      if (error) return self->stream_.close();
      self->Drain(drained + n);
    });
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  ApiRequest head_;  // The current request without its body (set once its header is in).
  // A streamed body (see Api::StartStream): its sink, parser and chunk buffer.
  std::unique_ptr<BodySink> sink_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> stream_parser_;
  std::vector<char> chunk_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool keep_alive_ = false;
  bool idle_ = true;  // Waiting for a request that has not begun.
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error == net::error::operation_aborted || stopping.load()) return;
      Accept();  // E.g. too many open files: keep serving the connections we have.
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    SessionStarted(session);
    session->Start();
    Accept();
  });
}

void Server::Impl::SessionStarted(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(sessions_mu);
  sessions.emplace(session.get(), session);
}

void Server::Impl::SessionEnded(Session* session) {
  std::lock_guard<std::mutex> lock(sessions_mu);
  sessions.erase(session);
  sessions_cv.notify_all();
}

void Server::Impl::Log(const ApiRequest& request, const ApiResponse& response, double seconds) {
  if (access_log == nullptr) return;
  nlohmann::json line = {{"ts_ms", UnixMillis()},
                         {"method", request.method},
                         {"path", request.target.substr(0, request.target.find('?'))},
                         {"status", response.status},
                         {"ms", std::round(seconds * 1e5) / 100}};
  if (!response.query_id.empty()) line["query_id"] = response.query_id;
  if (!response.detail.empty()) line["detail"] = response.detail;
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(log_mu);
  *access_log << text << std::flush;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(Api& api, ServerOptions options,
                                              std::ostream* access_log) {
  auto impl = std::make_unique<Impl>(api, options, access_log);
  beast::error_code error;
  const auto address = net::ip::make_address(options.bind, error);
  if (error) return Status::InvalidArgument("bad bind address '" + options.bind + "'");
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), error);
  if (!error) impl->acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) impl->acceptor.bind(endpoint, error);
  if (!error) impl->acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    return Status::Unavailable("cannot listen on " + options.bind + ":" +
                               std::to_string(options.port) + ": " + error.message());
  }
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const {
  beast::error_code ignored;
  return impl_->acceptor.local_endpoint(ignored).port();
}

void Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->stop_cv.notify_all();
  impl_->stopping = true;
  net::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard<std::mutex> lock(impl_->sessions_mu);
    for (const auto& [raw, weak] : impl_->sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->Shutdown();
  open.clear();
  {
    std::unique_lock<std::mutex> lock(impl_->sessions_mu);
    impl_->sessions_cv.wait_for(lock, impl_->options.shutdown_grace,
                                [&] { return impl_->sessions.empty(); });
  }
  impl_->work.reset();
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

void Server::WaitForSignal() {
  net::io_context signals_io;
  net::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {});
  std::thread waiter([&] { signals_io.run(); });
  {
    std::unique_lock<std::mutex> lock(impl_->stop_mu);
    while (!impl_->stopped && !signals_io.stopped()) {
      impl_->stop_cv.wait_for(lock, std::chrono::milliseconds(200));
    }
  }
  signals_io.stop();
  waiter.join();
}

}  // namespace foldrank::http
