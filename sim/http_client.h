#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "foldrank/result.h"

namespace foldrank::sim {

// A blocking HTTP/1.1 client on one keep-alive connection (reconnecting when the
// server closed it), for driving a foldrank server from the simulator.
class HttpClient {
 public:
  // `url`: http://HOST:PORT (no path). InvalidArgument for anything else.
  static Result<std::unique_ptr<HttpClient>> Open(const std::string& url);
  ~HttpClient();

  struct Reply {
    int status = 0;
    std::string body;
  };
  Result<Reply> Request(const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

  struct Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldrank::sim
