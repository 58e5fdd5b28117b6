// What the control API and the face service share: listen addresses, the bearer token, JSON
// replies and error bodies, and a cpp-httplib server set up with limits, authorisation and
// one-line JSON errors for every status. Handlers run on the server's own threads.
#pragma once

#include <httplib.h>

#include <atomic>
#include <map>
#include <memory>
#include <thread>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/api_error.h"

namespace fw::net {

struct ListenAddress {
  std::string host;  // as given: "127.0.0.1", "localhost", "0.0.0.0", "::1", "[::1]" -> "::1"
  int port = 0;      // 0: any free port
};

// "HOST:PORT" or "[V6]:PORT", port 0-65535. A usage error names the expected form.
core::Result<ListenAddress> ParseListenAddress(const std::string& text, const std::string& what);

// 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& host);

// The token from --control-token, else from the environment variable `env_name`.
std::string TokenFrom(const std::string& given, const char* env_name);

// Sets a one-line JSON body: {"error": message}.
void SendError(httplib::Response& res, const ApiError& error);
void SendJson(httplib::Response& res, const nlohmann::ordered_json& body, int status = 200);

struct ServerPolicy {
  std::string token;           // empty: no authorisation
  // Refuse Host names other than this machine's loopback ones (a web page that rebound its
  // name to 127.0.0.1): for servers bound to loopback without a token.
  bool loopback_hosts_only = false;
  size_t max_body_bytes = 0;   // larger bodies get 413
  // Paths and the methods they answer; another method on a listed path gets 405 with Allow,
  // an unlisted path 404.
  std::map<std::string, std::vector<std::string>> routes;
  std::vector<std::string> open_paths;  // answered without the token (health checks)
  int threads = 8;             // connections served at once
};

// Applies the policy to a server before its handlers are added: timeouts, body limit, bearer
// token (401 with WWW-Authenticate), requests from web pages refused (403: a browser tab must
// not drive the filter or the service), JSON error bodies for every error status.
void ConfigureServer(httplib::Server& server, const ServerPolicy& policy);

// Adds a handler for `method` (POST or PATCH) on `path` that receives the body read with a
// bound of max_bytes (larger, chunked or not: 413 without reading further). The body reaches
// the handler as sent, whatever its Content-Type says (no form decoding).
using BodyHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const std::string& body)>;
void HandleWithBody(httplib::Server& server, const std::string& method, const std::string& path,
                    size_t max_bytes, BodyHandler handler);

// The media type of the request, lower case, without parameters ("application/json").
std::string MediaType(const httplib::Request& req);

// JSON text of `doc`; invalid UTF-8 in strings is replaced rather than thrown on.
std::string DumpJson(const nlohmann::ordered_json& doc);

// Parses a JSON request body; 400 with the parser's position when it is not JSON.
ApiResult<nlohmann::json> ParseJsonBody(const std::string& body);

// Binds (port 0: a free one) and serves on a thread of its own until Stop.
class HttpListener {
 public:
  // The bound port, or a runtime error naming the address (in use, not local...).
  static core::Result<std::unique_ptr<HttpListener>> Start(std::unique_ptr<httplib::Server> server,
                                                           const ListenAddress& address);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const { return port_; }
  // "http://HOST:PORT" with the bound port.
  std::string url() const;
  void Stop();

 private:
  HttpListener(std::unique_ptr<httplib::Server> server, ListenAddress address, int port);

  std::unique_ptr<httplib::Server> server_;
  ListenAddress address_;
  int port_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace fw::net
