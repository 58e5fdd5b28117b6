#include "net/face_service.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <mutex>
#include <string_view>
#include <vector>

#include "looks/look_plan.h"
#include "net/base64.h"
#include "net/bounded_pool.h"
#include "net/param_json.h"
#include "tracking/face_tracker.h"
#include "warp/cpu_warp.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::net {

namespace {

constexpr char kFacesPath[] = "/api/v1/faces";
constexpr char kProcessPath[] = "/api/v1/process";
constexpr char kHealthPath[] = "/healthz";

// Delegates to another analyzer and keeps the detections of the last Detect, so that the faces
// the tracker keeps can be given their detector scores.
class ScoringAnalyzer : public tracking::FaceAnalyzer {
 public:
  explicit ScoringAnalyzer(tracking::FaceAnalyzer& inner) : inner_(inner) {}

  std::unique_ptr<FaceAnalyzer> Clone() const override { return inner_.Clone(); }
  const std::string& detector_notice() const override { return inner_.detector_notice(); }
  bool has_cnn_detector() const override { return inner_.has_cnn_detector(); }
  core::Faces Detect(const cv::Mat& image, const core::Params& params) override {
    detections_ = inner_.DetectAll(image, params);
    core::Faces faces;  // exactly as the analyzer's own Detect chooses them
    for (const tracking::Detection& d : detections_) {
      if (d.plausible) faces.push_back(d.face);
    }
    return faces;
  }
  std::vector<tracking::Detection> DetectAll(const cv::Mat& image,
                                             const core::Params& params) override {
    return inner_.DetectAll(image, params);
  }
  core::Face Landmarks(const cv::Mat& image, const core::Rect& box) override {
    return inner_.Landmarks(image, box);
  }
  double AlignedScore(const cv::Mat& image, const core::Face& face) override {
    return inner_.AlignedScore(image, face);
  }
  core::Rect BoxFromLandmarks(const core::Face& face) const override {
    return inner_.BoxFromLandmarks(face);
  }

  // The plausible detection that became `face` (the one its box overlaps most), if any.
  const tracking::Detection* Source(const core::Face& face) const {
    const tracking::Detection* best = nullptr;
    double best_iou = 0.3;
    for (const tracking::Detection& d : detections_) {
      const double iou = core::Iou(inner_.BoxFromLandmarks(d.face), face.box);
      if (d.plausible && iou > best_iou) {
        best = &d;
        best_iou = iou;
      }
    }
    return best;
  }

 private:
  tracking::FaceAnalyzer& inner_;
  std::vector<tracking::Detection> detections_;
};

struct WorkerState {
  std::unique_ptr<tracking::FaceAnalyzer> analyzer;
  warp::CpuWarpBackend warp;
  warp::WarpPlan plan;
};

struct ImageRequest {
  std::string_view bytes;
  std::string decoded;  // holds the bytes of a base64 image
  core::Params params;
  ImageFormat format = ImageFormat::kPng;
};

struct Outcome {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

std::optional<ApiError> ParseFormat(const std::string& text, ImageFormat& format) {
  if (text == "png") {
    format = ImageFormat::kPng;
  } else if (text == "jpeg" || text == "jpg") {
    format = ImageFormat::kJpeg;
  } else {
    return ApiError{400, "format must be png or jpeg, got '" + text + "'"};
  }
  return std::nullopt;
}

// The image, parameters and output format of a request; the image's header is checked here,
// its pixels are decoded by the worker.
std::optional<ApiError> ParseImageRequest(const httplib::Request& req, const std::string& body,
                                          const ServeOptions& options, ImageRequest& out) {
  out.params = options.params;
  const std::string type = MediaType(req);
  const size_t first = body.find_first_not_of(" \t\r\n");
  const bool json =
      type == "application/json" ||
      (type.rfind("image/", 0) != 0 && first != std::string::npos && body[first] == '{');
  std::string format_text = req.get_param_value("format");
  if (json) {
    FW_ASSIGN_OR_RETURN(const nlohmann::json doc, ParseJsonBody(body));
    if (!doc.is_object()) return ApiError{400, "expected a JSON object {\"image\": \"<base64>\"}"};
    for (const auto& [key, value] : doc.items()) {
      if (key != "image" && key != "params" && key != "format") {
        return ApiError{400, "unknown field '" + key + "'; fields: image, params, format"};
      }
    }
    const auto image = doc.find("image");
    if (image == doc.end() || !image->is_string()) {
      return ApiError{400, "the JSON needs \"image\": a PNG or JPEG image in base64"};
    }
    std::optional<std::string> bytes = DecodeBase64(image->get_ref<const std::string&>());
    if (!bytes) return ApiError{400, "\"image\" is not valid base64"};
    out.decoded = std::move(*bytes);
    out.bytes = out.decoded;
    if (const auto params = doc.find("params"); params != doc.end()) {
      if (auto e = ApplyParamsJson(*params, out.params)) return e;
    }
    if (const auto format = doc.find("format"); format != doc.end()) {
      if (!format->is_string()) return ApiError{400, "format must be \"png\" or \"jpeg\""};
      format_text = format->get<std::string>();
    }
  } else {
    out.bytes = body;
  }
  for (const auto& [key, value] : req.params) {
    if (key == "format") continue;
    if (core::FindParam(key) == nullptr) {
      return ApiError{400, "unknown parameter '" + key + "'; valid keys: " + core::ParamKeyList() +
                               " (and format)"};
    }
    const core::Status s = core::SetFromString(out.params, key + "=" + value);
    if (!s.ok()) return ApiError{400, s.error().message};
  }
  if (!format_text.empty()) {
    if (auto e = ParseFormat(format_text, out.format)) return e;
  } else {
    const std::string accept = req.get_header_value("Accept");
    if (accept.find("image/jpeg") != std::string::npos &&
        accept.find("image/png") == std::string::npos) {
      out.format = ImageFormat::kJpeg;
    }
  }
  if (ApiResult<ImageHeader> header = ReadImageHeader(out.bytes, options.limits); !header.ok()) {
    return header.error();
  }
  return std::nullopt;
}

// A photo is looked at once, so the detector gets its full resolution, as the CLI gives it
// for an image input (app/app.cpp): group photos hold faces too small at the video default.
core::Params ForStillImage(core::Params params, int width) {
  const core::ParamSpec& spec = *core::FindParam("detect_width");
  params.detect_width = std::clamp(static_cast<double>(width), params.detect_width, spec.max);
  return params;
}

Outcome ErrorOutcome(const ApiError& e) {
  return {e.status, DumpJson({{"error", e.message}}) + "\n"};
}

Outcome Analyze(WorkerState& state, const ImageRequest& request, const ImageLimits& limits,
                bool process) {
  ApiResult<cv::Mat> image = DecodeImage(request.bytes, limits);
  if (!image.ok()) return ErrorOutcome(image.error());
  const core::Params params = ForStillImage(request.params, image->cols);
  ScoringAnalyzer scoring(*state.analyzer);
  tracking::FaceTracker tracker(scoring);
  const core::Faces faces = tracker.Process(*image, 0.0, params);
  if (process) {
    warp::PlanFrameInto(faces, params, state.plan);
    looks::LookPlan looks;  // age and skin smoothing, after the warp
    looks::PlanLooks(faces, params, *image, looks);
    warp::MoveLooksThroughWarp(state.plan, looks);
    cv::Mat warped;
    const core::Status s = state.warp.WarpWithLooks(*image, state.plan, looks, warped);
    if (!s.ok()) return ErrorOutcome({500, s.error().message});
    return {200, EncodeImage(warped, request.format), MimeType(request.format)};
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const core::Face& face : faces) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const core::Vec2& p : face.points) points.push_back({p.x, p.y});
    const tracking::Detection* source = scoring.Source(face);
    list.push_back({{"box", {face.box.x, face.box.y, face.box.w, face.box.h}},
                    {"points", std::move(points)},
                    {"score", source != nullptr ? source->score : 0.0}});
  }
  const nlohmann::ordered_json doc = {
      {"width", image->cols}, {"height", image->rows}, {"faces", std::move(list)}};
  return {200, DumpJson(doc) + "\n"};
}

}  // namespace

class FaceService::Impl {
 public:
  Impl(const ServeOptions& options, std::vector<std::unique_ptr<WorkerState>> states)
      : options_(options), pool_(std::move(states), static_cast<size_t>(options.queue)) {}

  void Handle(const httplib::Request& req, httplib::Response& res, const std::string& body,
              bool process) {
    ImageRequest request;
    if (auto e = ParseImageRequest(req, body, options_, request)) return SendError(res, *e);
    std::promise<Outcome> done;
    std::future<Outcome> result = done.get_future();
    // The job refers to this frame's request and promise: this thread waits for it below.
    const bool queued = pool_.TrySubmit([&](WorkerState& state) -> std::function<void()> {
      auto outcome = std::make_shared<Outcome>();
      try {
        *outcome = Analyze(state, request, options_.limits, process);
      } catch (const std::exception& e) {
        *outcome = ErrorOutcome({500, std::string("internal error: ") + e.what()});
      }
      return [&done, outcome] { done.set_value(std::move(*outcome)); };
    });
    if (!queued) {
      res.set_header("Retry-After", "1");
      return SendError(res, {503, "busy: all " + std::to_string(pool_.workers()) +
                                      " workers are taken and the queue is full; retry shortly"});
    }
    Outcome outcome = result.get();
    res.status = outcome.status;
    res.set_content(outcome.body, outcome.content_type.c_str());
  }

  void Health(httplib::Response& res) {
    SendJson(res, {{"status", "ok"},
                   {"workers", pool_.workers()},
                   {"requests", pool_.outstanding()},
                   {"queue_limit", options_.queue}});
  }

  ServeOptions options_;
  BoundedPool<WorkerState> pool_;
  std::unique_ptr<HttpListener> listener_;
};

core::Result<std::unique_ptr<FaceService>> FaceService::Start(const ServeOptions& options,
                                                              const tracking::FaceAnalyzer& model) {
  std::vector<std::unique_ptr<WorkerState>> states;
  for (int i = 0; i < std::max(1, options.workers); ++i) {
    auto state = std::make_unique<WorkerState>();
    state->analyzer = model.Clone();
    states.push_back(std::move(state));
  }
  auto impl = std::make_unique<Impl>(options, std::move(states));
  auto server = std::make_unique<httplib::Server>();
  ServerPolicy policy;
  policy.token = options.token;
  policy.loopback_hosts_only = options.token.empty() && IsLoopback(options.address.host);
  policy.max_body_bytes = options.max_body_bytes;
  policy.routes = {{kFacesPath, {"POST"}}, {kProcessPath, {"POST"}}, {kHealthPath, {"GET"}}};
  policy.open_paths = {kHealthPath};
  // Enough threads that a busy answer never waits: every worker's request, every queued one,
  // and a few more to refuse the rest.
  policy.threads = options.workers + options.queue + 4;
  ConfigureServer(*server, policy);
  Impl* self = impl.get();
  HandleWithBody(*server, "POST", kFacesPath, options.max_body_bytes,
                 [self](const httplib::Request& req, httplib::Response& res,
                        const std::string& body) { self->Handle(req, res, body, false); });
  HandleWithBody(*server, "POST", kProcessPath, options.max_body_bytes,
                 [self](const httplib::Request& req, httplib::Response& res,
                        const std::string& body) { self->Handle(req, res, body, true); });
  server->Get(kHealthPath,
              [self](const httplib::Request&, httplib::Response& res) { self->Health(res); });
  FW_ASSIGN_OR_RETURN(impl->listener_, HttpListener::Start(std::move(server), options.address));
  return std::unique_ptr<FaceService>(new FaceService(std::move(impl)));
}

FaceService::FaceService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FaceService::~FaceService() { Stop(); }

std::string FaceService::url() const { return impl_->listener_->url(); }

void FaceService::Stop() {
  if (impl_->listener_) impl_->listener_->Stop();
}

}  // namespace fw::net
