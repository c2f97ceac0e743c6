#pragma once

// A minimal blocking HTTP/1.1 client for tests: one connection per call, to
// 127.0.0.1. Raw() sends bytes as given, for malformed and slow requests.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace foldrank::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

HttpReply Http(std::uint16_t port, const std::string& method, const std::string& target,
               const std::string& body = "",
               const std::map<std::string, std::string>& headers = {});

// Sends `bytes`, waits `pause`, sends `more` (if any), then reads until the server
// closes or `timeout` passes. Returns what was read ("" if nothing).
std::string Raw(std::uint16_t port, const std::string& bytes,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                const std::string& more = "",
                std::chrono::milliseconds pause = std::chrono::milliseconds(0));

}  // namespace foldrank::testing
