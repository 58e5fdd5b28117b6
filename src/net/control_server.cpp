#include "net/control_server.h"

#include <chrono>
#include <filesystem>
#include <mutex>

#include "core/preset.h"
#include "core/stats.h"
#include "net/image_codec.h"
#include "net/param_json.h"

namespace fw::net {

namespace {

constexpr char kParams[] = "/api/v1/params";
constexpr char kPreset[] = "/api/v1/preset";
constexpr char kEffect[] = "/api/v1/effect";
constexpr char kStats[] = "/api/v1/stats";
constexpr char kSnapshot[] = "/api/v1/snapshot";
constexpr char kRecording[] = "/api/v1/recording";

// Long enough for a frame boundary at any camera rate, short enough that a stalled run
// answers 503 instead of holding the client.
constexpr std::chrono::milliseconds kCommandWait(3000);
// /stats is recomputed at most this often (it sorts every stage's samples).
constexpr int64_t kStatsRefreshNs = 200'000'000;

// {"on": true | false | "toggle"} -> the wanted state.
ApiResult<bool> ParseSwitch(const std::string& body, bool current) {
  FW_ASSIGN_OR_RETURN(const nlohmann::json doc, ParseJsonBody(body));
  const ApiError usage{400, "expected {\"on\": true}, {\"on\": false} or {\"on\": \"toggle\"}"};
  if (!doc.is_object() || doc.size() != 1 || !doc.contains("on")) return usage;
  const nlohmann::json& on = doc.at("on");
  if (on.is_boolean()) return on.get<bool>();
  if (on.is_string() && on.get<std::string>() == "toggle") return !current;
  return usage;
}

}  // namespace

class ControlServer::Impl {
 public:
  Impl(ControlChannel& channel, std::function<std::string()> stats_json)
      : channel_(channel), stats_json_(std::move(stats_json)) {}

  void GetParams(httplib::Response& res) {
    SendJson(res, {{"params", ParamValuesJson(channel_.params())},
                   {"effect", channel_.effect_on()},
                   {"table", ParamTableJson()}});
  }

  void PatchParams(const std::string& body, httplib::Response& res) {
    ApiResult<nlohmann::json> doc = ParseJsonBody(body);
    if (!doc.ok()) return SendError(res, doc.error());
    const nlohmann::json values = std::move(doc).value();
    auto error =
        channel_.EditParams([&](core::Params& params) { return ApplyParamsJson(values, params); });
    if (error) return SendError(res, *error);
    SendJson(res, {{"params", ParamValuesJson(channel_.params())}});
  }

  void PostPreset(const std::string& body, httplib::Response& res) {
    ApiResult<nlohmann::json> doc = ParseJsonBody(body);
    if (!doc.ok()) return SendError(res, doc.error());
    if (!doc->is_object())
      return SendError(res, {400, "expected a preset's JSON or {\"path\": ...}"});
    std::optional<ApiError> error;
    if (doc->contains("params")) {
      error = channel_.EditParams([&](core::Params& params) -> std::optional<ApiError> {
        const core::Status s = core::PresetFromJson(body, "in the request", params);
        if (!s.ok()) return ApiError{400, s.error().message};
        return std::nullopt;
      });
    } else if (doc->size() == 1 && doc->contains("path") && (*doc)["path"].is_string()) {
      const std::string path = (*doc)["path"].get<std::string>();
      error = channel_.EditParams([&](core::Params& params) -> std::optional<ApiError> {
        const core::Status s = core::LoadPreset(path, params);
        if (!s.ok()) return ApiError{400, s.error().message};
        return std::nullopt;
      });
    } else if (doc->size() == 1 && doc->contains("name") && (*doc)["name"].is_string()) {
      const core::Result<std::string> path = core::FindPreset((*doc)["name"].get<std::string>());
      error = !path.ok()
                  ? std::optional<ApiError>(ApiError{400, path.error().message})
                  : channel_.EditParams([&](core::Params& params) -> std::optional<ApiError> {
                      const core::Status s = core::LoadPreset(*path, params);
                      if (!s.ok()) return ApiError{400, s.error().message};
                      return std::nullopt;
                    });
    } else {
      error = ApiError{400,
                       "expected {\"name\": NAME}, {\"path\": \"FILE.json\"} or a preset "
                       "{\"facewarp_preset\": 1, \"params\": {...}}"};
    }
    if (error) return SendError(res, *error);
    SendJson(res, {{"params", ParamValuesJson(channel_.params())}});
  }

  void PostEffect(const std::string& body, httplib::Response& res) {
    ApiResult<bool> on = ParseSwitch(body, channel_.effect_on());
    if (!on.ok()) return SendError(res, on.error());
    channel_.SetEffect(*on);
    SendJson(res, {{"effect", *on}});
  }

  void GetStats(httplib::Response& res) {
    std::lock_guard<std::mutex> lock(stats_mu_);
    const int64_t now = core::NowNs();
    if (stats_cache_.empty() || now - stats_ns_ > kStatsRefreshNs) {
      stats_cache_ = stats_json_();
      stats_ns_ = now;
    }
    res.set_content(stats_cache_, "application/json");
  }

  void GetSnapshot(httplib::Response& res) {
    ControlChannel::Reply reply = channel_.Call(ControlChannel::Command::kSnapshot, kCommandWait);
    if (reply.error) {
      if (reply.error->status == 503) res.set_header("Retry-After", "1");
      return SendError(res, *reply.error);
    }
    res.set_content(EncodeImage(reply.image, ImageFormat::kPng), "image/png");
  }

  void PostRecording(const std::string& body, httplib::Response& res) {
    ApiResult<bool> on = ParseSwitch(body, recording_);
    if (!on.ok()) return SendError(res, on.error());
    ControlChannel::Reply reply = channel_.Call(
        *on ? ControlChannel::Command::kStartRecording : ControlChannel::Command::kStopRecording,
        kCommandWait);
    if (reply.error) return SendError(res, *reply.error);
    recording_ = reply.recording;
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(reply.path, ec);
    SendJson(res, {{"recording", reply.recording}, {"path", ec ? reply.path : absolute.string()}});
  }

  ControlChannel& channel_;
  std::function<std::string()> stats_json_;
  std::mutex stats_mu_;
  std::string stats_cache_;
  int64_t stats_ns_ = 0;
  std::atomic<bool> recording_{false};  // as last reported by the frame loop, for "toggle"
  std::unique_ptr<HttpListener> listener_;
};

core::Result<ControlOptions> ControlOptionsFor(const std::string& address,
                                               const std::string& token_flag) {
  ControlOptions options;
  FW_ASSIGN_OR_RETURN(options.address, ParseListenAddress(address, "--control"));
  options.token = TokenFrom(token_flag, kControlTokenEnv);
  if (!IsLoopback(options.address.host) && options.token.empty()) {
    return core::Error::Usage("--control on " + options.address.host +
                              " (not loopback) needs a token: give --control-token TOKEN or set " +
                              kControlTokenEnv);
  }
  return options;
}

core::Result<std::unique_ptr<ControlServer>> ControlServer::Start(
    const ControlOptions& options, ControlChannel& channel,
    std::function<std::string()> stats_json) {
  auto impl = std::make_unique<Impl>(channel, std::move(stats_json));
  auto server = std::make_unique<httplib::Server>();
  ServerPolicy policy;
  policy.token = options.token;
  policy.loopback_hosts_only = options.token.empty() && IsLoopback(options.address.host);
  policy.max_body_bytes = options.max_body_bytes;
  policy.threads = 4;
  policy.routes = {{kParams, {"GET", "PATCH"}}, {kPreset, {"POST"}},  {kEffect, {"POST"}},
                   {kStats, {"GET"}},           {kSnapshot, {"GET"}}, {kRecording, {"POST"}}};
  ConfigureServer(*server, policy);
  Impl* self = impl.get();
  const size_t max = options.max_body_bytes;
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  server->Get(kParams, [self](Req, Res res) { self->GetParams(res); });
  server->Get(kStats, [self](Req, Res res) { self->GetStats(res); });
  server->Get(kSnapshot, [self](Req, Res res) { self->GetSnapshot(res); });
  HandleWithBody(*server, "PATCH", kParams, max,
                 [self](Req, Res res, const std::string& body) { self->PatchParams(body, res); });
  HandleWithBody(*server, "POST", kPreset, max,
                 [self](Req, Res res, const std::string& body) { self->PostPreset(body, res); });
  HandleWithBody(*server, "POST", kEffect, max,
                 [self](Req, Res res, const std::string& body) { self->PostEffect(body, res); });
  HandleWithBody(*server, "POST", kRecording, max,
                 [self](Req, Res res, const std::string& body) { self->PostRecording(body, res); });
  FW_ASSIGN_OR_RETURN(impl->listener_, HttpListener::Start(std::move(server), options.address));
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(impl)));
}

ControlServer::ControlServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ControlServer::~ControlServer() { Stop(); }

std::string ControlServer::url() const { return impl_->listener_->url(); }

void ControlServer::Stop() {
  if (impl_->listener_) impl_->listener_->Stop();
}

}  // namespace fw::net
