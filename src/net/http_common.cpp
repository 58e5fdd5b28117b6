#include "net/http_common.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace fw::net {

namespace {

// cpp-httplib's own pool queues accepted connections without bound; this one stops accepting
// (the kernel's listen backlog holds the rest) once `max_queued` connections wait for a thread.
class BoundedThreadPool : public httplib::TaskQueue {
 public:
  BoundedThreadPool(int threads, size_t max_queued) : max_queued_(max_queued) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~BoundedThreadPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [this] { return jobs_.size() < max_queued_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    work_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutdown_ = true;
    }
    work_.notify_all();
    space_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [this] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;  // shut down, nothing left
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        space_.notify_one();
      }
      fn();
    }
  }

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable work_;
  std::condition_variable space_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool shutdown_ = false;
};

bool SameToken(const std::string& a, const std::string& b) {
  // Time independent of where they differ (the length is no secret).
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string HostPart(const std::string& host_header) {
  if (!host_header.empty() && host_header[0] == '[') {
    const size_t end = host_header.find(']');
    return end == std::string::npos ? host_header : host_header.substr(1, end - 1);
  }
  return host_header.substr(0, host_header.rfind(':'));
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

core::Result<ListenAddress> ParseListenAddress(const std::string& text, const std::string& what) {
  const core::Error usage = core::Error::Usage(
      what + " expects HOST:PORT (e.g. 127.0.0.1:8080, or port 0 for any free port), got '" + text +
      "'");
  ListenAddress a;
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return usage;
  a.host = text.substr(0, colon);
  if (a.host.front() == '[') {
    if (a.host.back() != ']') return usage;
    a.host = a.host.substr(1, a.host.size() - 2);
  } else if (a.host.find(':') != std::string::npos) {
    return usage;  // an IPv6 address needs its brackets
  }
  const std::string port = text.substr(colon + 1);
  if (a.host.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return usage;
  }
  a.port = std::atoi(port.c_str());
  if (a.port > 65535) return usage;
  return a;
}

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

std::string TokenFrom(const std::string& given, const char* env_name) {
  if (!given.empty()) return given;
  const char* env = std::getenv(env_name);
  return env != nullptr ? env : "";
}

std::string DumpJson(const nlohmann::ordered_json& doc) {
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, const nlohmann::ordered_json& body, int status) {
  res.status = status;
  res.set_content(DumpJson(body) + "\n", "application/json");
}

std::string MediaType(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

void HandleWithBody(httplib::Server& server, const std::string& method, const std::string& path,
                    size_t max_bytes, BodyHandler handler) {
  auto read = [max_bytes, handler = std::move(handler)](const httplib::Request& req,
                                                        httplib::Response& res,
                                                        const httplib::ContentReader& reader) {
    if (MediaType(req).rfind("multipart/", 0) == 0) {
      res.set_header("Connection", "close");
      return SendError(res, {415,
                             "multipart bodies are not accepted: send the image as the "
                             "body, or JSON"});
    }
    std::string body;
    bool too_large = req.get_header_value<uint64_t>("Content-Length") > max_bytes;
    const bool complete = !too_large && reader([&](const char* data, size_t length) {
      if (body.size() + length > max_bytes) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (too_large) {
      res.set_header("Connection", "close");
      return SendError(
          res, {413, "the body is too large: at most " + std::to_string(max_bytes) + " bytes"});
    }
    if (!complete) {
      res.set_header("Connection", "close");
      return SendError(res, {400, "the body could not be read to its end"});
    }
    handler(req, res, body);
  };
  if (method == "PATCH") {
    server.Patch(path, read);
  } else {
    server.Post(path, read);
  }
}

void SendError(httplib::Response& res, const ApiError& error) {
  std::string message = error.message;
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  SendJson(res, {{"error", message}}, error.status);
}

void ConfigureServer(httplib::Server& server, const ServerPolicy& policy) {
  const int threads = policy.threads;
  server.new_task_queue = [threads] { return new BoundedThreadPool(threads, 64); };
  server.set_payload_max_length(policy.max_body_bytes);
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  // Every answer closes its connection, so this only bounds the wait for a request's first
  // bytes once a thread takes the connection; under load a client may be slow to send them.
  server.set_keep_alive_timeout(5);
  server.set_tcp_nodelay(true);

  server.set_pre_routing_handler([policy](const httplib::Request& req, httplib::Response& res) {
    // A refused request's body is never read: the connection cannot be reused after it.
    res.set_header("Connection", "close");
    // Browsers send Origin with cross-site requests; curl and scripts do not.
    if (req.has_header("Origin")) {
      SendError(res, {403, "requests from web pages are refused"});
      return httplib::Server::HandlerResponse::Handled;
    }
    // On loopback without a token, a foreign Host name is a web page that rebound its own name
    // to this machine.
    if (policy.loopback_hosts_only && req.has_header("Host") &&
        !IsLoopback(HostPart(req.get_header_value("Host")))) {
      SendError(res, {403, "Host '" + req.get_header_value("Host") + "' is not this machine"});
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool open = std::find(policy.open_paths.begin(), policy.open_paths.end(), req.path) !=
                      policy.open_paths.end();
    if (!open && !policy.token.empty() &&
        !SameToken(req.get_header_value("Authorization"), "Bearer " + policy.token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, {401, req.has_header("Authorization")
                               ? "wrong token"
                               : "this server needs a token: Authorization: Bearer TOKEN"});
      return httplib::Server::HandlerResponse::Handled;
    }
    const auto route = policy.routes.find(req.path);
    if (route == policy.routes.end()) {
      SendError(res, {404, "no such endpoint: " + req.path});
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::vector<std::string>& methods = route->second;
    if (std::find(methods.begin(), methods.end(), req.method) == methods.end()) {
      res.set_header("Allow", Join(methods));
      SendError(res, {405, req.method + " is not allowed on " + req.path +
                               " (allowed: " + Join(methods) + ")"});
      return httplib::Server::HandlerResponse::Handled;
    }
    res.headers.erase("Connection");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const size_t max_body = policy.max_body_bytes;
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
  });
  server.set_error_handler([max_body](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = "HTTP status " + std::to_string(res.status);
    if (res.status == 400) message = "bad request";
    if (res.status == 404) message = "no such endpoint";
    if (res.status == 413) {
      message = "the body is too large: at most " + std::to_string(max_body) + " bytes";
    }
    SendError(res, {res.status, message});
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what += std::string(": ") + e.what();
        } catch (...) {
        }
        SendError(res, {500, what});
      });
}

ApiResult<nlohmann::json> ParseJsonBody(const std::string& body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return ApiError{400, std::string("the body is not valid JSON: ") + e.what()};
  }
}

core::Result<std::unique_ptr<HttpListener>> HttpListener::Start(
    std::unique_ptr<httplib::Server> server, const ListenAddress& address) {
  // The listening socket, as cpp-httplib creates it. No SO_REUSEPORT (cpp-httplib's default):
  // another process of the same user could then bind the same port and take its connections.
  auto listening = std::make_shared<int>(-1);
  server->set_socket_options([listening](socket_t sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    *listening = sock;
  });
  int port = address.port;
  bool bound = false;
  if (port == 0) {
    port = server->bind_to_any_port(address.host);
    bound = port > 0;
  } else {
    bound = server->bind_to_port(address.host, port);
  }
  if (!bound) {
    return core::Error::Runtime("cannot listen on " + address.host + ":" +
                                std::to_string(address.port) +
                                ": the port is in use or the address is not on this machine");
  }
  // Debian's cpp-httplib is a shared library that listens with a backlog of 5; a burst of
  // clients overflows it, the kernel drops their handshakes, and a request reaches a server
  // thread only after a retransmission, later than the thread waits for it. Listening again on
  // the bound socket raises the backlog.
  if (*listening >= 0) ::listen(*listening, SOMAXCONN);
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(server), address, port));
}

HttpListener::HttpListener(std::unique_ptr<httplib::Server> server, ListenAddress address, int port)
    : server_(std::move(server)), address_(std::move(address)), port_(port) {
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    done_ = true;
  });
}

HttpListener::~HttpListener() { Stop(); }

void HttpListener::Stop() {
  if (!thread_.joinable()) return;
  // stop() only takes effect once the server runs: wait for it to start (or to have failed).
  while (!server_->is_running() && !done_) std::this_thread::yield();
  server_->stop();
  thread_.join();
}

std::string HttpListener::url() const {
  const bool v6 = address_.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + address_.host + "]" : address_.host) + ":" + std::to_string(port_);
}

}  // namespace fw::net
