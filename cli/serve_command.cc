#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "foldrank/engine.h"
#include "http/admin_token.h"
#include "http/api.h"
#include "http/server.h"
#include "index/index.h"

namespace foldrank::cli {

namespace po = boost::program_options;

namespace {

bool IsWildcard(const std::string& bind) { return bind == "0.0.0.0" || bind == "::"; }

// The bind address as a URL's host: loopback for a wildcard, IPv6 in brackets.
std::string AddressForLinks(const std::string& bind) {
  if (IsWildcard(bind)) return "127.0.0.1";
  return bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
}

// The names a request's Host may carry: the bind address (an IPv6 one in brackets,
// as in a URL) and the operator's public names; any IP literal when listening on
// every interface.
http::HostPolicy HostPolicyFor(const std::string& bind, std::vector<std::string> public_hosts) {
  http::HostPolicy policy;
  policy.names = std::move(public_hosts);
  if (IsWildcard(bind)) {
    policy.any_ip_literal = true;
  } else {
    policy.names.push_back(AddressForLinks(bind));
  }
  return policy;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank serve --data DIR [--bind ADDR] [--port P] [--threads N] [options]",
      "Serves the index and ledger in DIR over HTTP: /search, /click, /documents, the\n"
      "admin API under /admin, /metrics, the demo page at / and the embeddable\n"
      "widget at /widget.js. Folds clicks into the model in the background (unless\n"
      "--fold=false, e.g. when a separate 'foldrank fold --follow' does). Stops\n"
      "gracefully on SIGINT or SIGTERM: requests in flight finish, queued impressions\n"
      "and clicks are written, the index is committed.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "bind", po::value<std::string>()->default_value("127.0.0.1"),
      "address to listen on (0.0.0.0 for every interface)")(
      "port,p", po::value<int>()->default_value(8080), "TCP port (0: any free port)")(
      "threads",
      po::value<int>()->default_value(
          static_cast<int>(std::max(2u, std::thread::hardware_concurrency()))),
      "server threads")(
      "admin-token", po::value<std::string>()->default_value(""),
      "bearer token for /admin and /documents (prefer FOLDRANK_ADMIN_TOKEN or the config "
      "file: other local users can read a command line); without one, a random token is "
      "made once and kept in DIR/admin-token (mode 0600)")(
      "allow-origins", po::value<std::string>()->default_value(""),
      "comma-separated origins whose pages may call /search and /click (CORS); '*' for "
      "any. Never opens admin or document routes")(
      "public-host", po::value<std::string>()->default_value(""),
      "comma-separated host names clients reach this server by (e.g. search.example.com "
      "behind a proxy); requests naming any other host than these, the bind address, "
      "localhost, 127.0.0.1 and [::1] are refused (421)")(
      "temperature", po::value<double>()->default_value(0.1, "0.1"),
      "exploration: Plackett-Luce temperature of served rankings (0 = deterministic; "
      "learning needs some)")("fold", po::value<bool>()->default_value(true),
                              "fold clicks in the background")(
      "certification", po::value<std::string>()->default_value("continuous"),
      "model gate: continuous (the learning model serves between checks), gated (only "
      "certified models serve) or off")(
      "check-impressions", po::value<std::uint64_t>()->default_value(2000),
      "certification check after this many folded impressions (or 10 minutes)")(
      "canary-share", po::value<double>()->default_value(0.2, "0.2"),
      "share of traffic a certification canary interleaves")(
      "randpair-share", po::value<double>()->default_value(0.01, "0.01"),
      "share of rankings whose first result trades places with a random one of the page, "
      "for position-bias estimates (0 = none)")(
      "click-pairs-max", po::value<std::size_t>()->default_value(500'000),
      "(query, document) click counts held in memory for click features at most (0: no "
      "bound); beyond it those that say least are dropped from memory, not from the ledger")(
      "settle-ms", po::value<std::int64_t>()->default_value(2000),
      "fold an impression once no click arrived for it for this long")(
      "fold-interval-ms", po::value<int>()->default_value(1000),
      "fold at least this often (and at once when 100 impressions have settled)")(
      "request-timeout-ms", po::value<int>()->default_value(10000),
      "a request must arrive within this; idle connections close after it")(
      "max-body-bytes", po::value<std::size_t>()->default_value(64 * 1024),
      "largest request body, except POST /documents")(
      "max-documents-body-bytes", po::value<std::size_t>()->default_value(std::size_t{1} << 30),
      "largest POST /documents body (JSONL, loaded as it arrives)")(
      "rebuild-index",
      "first rebuild the index from its stored documents with this "
      "version's analysis (as 'foldrank index --rebuild'; needed once after an upgrade "
      "that changed the analysis)")("access-log", po::value<bool>()->default_value(true),
                                    "one JSON line per request on standard error")(
      "config", po::value<std::string>(),
      "read options from this file (INI: 'port = 8080', one per line)");
  command_line.Environment("FOLDRANK_");
  command_line.ConfigFileOption("config");
  command_line.Epilog(
      "Every option can also be set in the environment (FOLDRANK_PORT=8081,\n"
      "FOLDRANK_ADMIN_TOKEN=...) or the --config file; the command line wins, then the\n"
      "environment, then the file.\n"
      "Exit status: 0 stopped by a signal, 1 failure, 2 usage error.");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();

  EngineOptions engine_options;
  engine_options.fold_in_background = values["fold"].as<bool>();
  engine_options.settle_ms = values["settle-ms"].as<std::int64_t>();
  engine_options.fold_interval_ms = values["fold-interval-ms"].as<int>();
  engine_options.certification = values["certification"].as<std::string>();
  engine_options.check_impressions = values["check-impressions"].as<std::uint64_t>();
  engine_options.canary_share = values["canary-share"].as<double>();
  engine_options.click_pairs_max = values["click-pairs-max"].as<std::size_t>();
  if (Status checked = CheckEngineOptions(engine_options); !checked.ok()) {
    std::cerr << "foldrank serve: " << checked.message() << "\n";
    return 2;
  }
  http::ApiOptions api_options;
  api_options.admin_token = values["admin-token"].as<std::string>();
  api_options.allowed_origins = SplitList(values["allow-origins"].as<std::string>());
  api_options.hosts = HostPolicyFor(values["bind"].as<std::string>(),
                                    SplitList(values["public-host"].as<std::string>()));
  api_options.temperature = values["temperature"].as<double>();
  api_options.randpair_share = values["randpair-share"].as<double>();
  api_options.max_body_bytes = values["max-body-bytes"].as<std::size_t>();
  api_options.max_documents_body_bytes = values["max-documents-body-bytes"].as<std::size_t>();
  http::ServerOptions server_options;
  server_options.bind = values["bind"].as<std::string>();
  const int port = values["port"].as<int>();
  server_options.threads = values["threads"].as<int>();
  server_options.request_timeout =
      std::chrono::milliseconds(values["request-timeout-ms"].as<int>());
  if (port < 0 || port > 65535 || server_options.threads < 1 ||
      !(api_options.temperature >= 0 && api_options.temperature <= 100) ||
      !(api_options.randpair_share >= 0 && api_options.randpair_share <= 1) ||
      server_options.request_timeout.count() < 1) {
    std::cerr << "foldrank serve: --port must be 0-65535, --threads >= 1, --temperature 0-100, "
                 "--randpair-share 0-1, --request-timeout-ms >= 1\n";
    return 2;
  }
  server_options.port = static_cast<std::uint16_t>(port);

  // A file-size limit (ulimit -f, a quota-like guard) then fails the write with
  // EFBIG, which the ledger and index report as errors, instead of killing the
  // process: searches keep working and writes resume when the limit is raised.
  std::signal(SIGXFSZ, SIG_IGN);
  if (geteuid() == 0) {
    std::cerr << "foldrank serve: warning: running as root; foldrank needs no privileges "
                 "(run it as a dedicated user that owns the data directory)\n";
  }
  if (values.count("rebuild-index")) {
    auto rebuilt = Index::Rebuild(IndexDirectory(values["data"].as<std::string>()));
    if (!rebuilt && rebuilt.error().code() != Status::Code::kNotFound) {
      std::cerr << "foldrank serve: " << rebuilt.error().ToString() << "\n";
      return 1;
    }
    if (rebuilt) std::cerr << "foldrank serve: rebuilt the index (" << *rebuilt << " documents)\n";
  }
  auto engine = Engine::Open(values["data"].as<std::string>(), engine_options);
  if (!engine) {
    std::cerr << "foldrank serve: " << engine.error().ToString() << "\n";
    return 1;
  }
  const std::filesystem::path token_file =
      std::filesystem::path(values["data"].as<std::string>()) / "admin-token";
  if (api_options.admin_token.empty()) {
    auto stored = http::LoadOrCreateAdminToken(token_file);
    if (!stored) {
      std::cerr << "foldrank serve: " << stored.error().ToString() << "\n";
      return 1;
    }
    if (stored->tightened) {
      std::cerr << "foldrank serve: warning: " << token_file.string()
                << " was readable by other users; it is now mode 0600\n";
    }
    api_options.admin_token = stored->token;
  }
  http::Api api(**engine, api_options);
  auto server = http::Server::Start(api, server_options,
                                    values["access-log"].as<bool>() ? &std::cerr : nullptr);
  if (!server) {
    std::cerr << "foldrank serve: " << server.error().ToString() << "\n";
    return 1;
  }
  std::cout << "foldrank: serving " << (*engine)->DocumentCount() << " documents on http://"
            << server_options.bind << ":" << (*server)->port() << "/ (model v"
            << (*engine)->ServingVersion() << ")" << std::endl;
  std::cout << "foldrank: admin page: http://" << AddressForLinks(server_options.bind) << ":"
            << (*server)->port() << "/admin/login?code=" << api.IssueLoginCode()
            << " (a one-time sign-in link; API clients send 'Authorization: Bearer' with the "
            << (values["admin-token"].as<std::string>().empty()
                    ? "token in " + token_file.string()
                    : std::string("configured admin token"))
            << ")" << std::endl;
  (*server)->WaitForSignal();
  std::cout << "foldrank: stopping" << std::endl;
  (*server)->Stop();
  server->reset();
  engine->reset();  // Writes queued impressions and clicks, commits the index.
  std::cout << "foldrank: stopped" << std::endl;
  return 0;
}

}  // namespace foldrank::cli
