#include "tracking/face_tracker.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "core/stats.h"
#include "tracking/face_chip.h"
#include "tracking/landmark_flow.h"

namespace fw::tracking {

namespace {

// A detection continues a track when their boxes overlap this much.
constexpr double kMatchIou = 0.3;
// A face followed well (flow and appearance hold) is looked for again by the detector once it
// has gone unmatched this long; until then a detection spends nothing on its tiles.
constexpr double kRefindS = 0.5;
// Two tracks this close follow the same face: the younger one goes.
constexpr double kDuplicateIou = 0.5;
// Normalised correlation of a face's chip with its chip at the last detection below which its
// appearance has changed (turned, occluded, gone). Measured on the bundled clips: a tracked
// face stays above 0.99 between detections (zoom and roll included: the chip undoes them); a
// flat frame gives 0, background in its place at most 0.47.
constexpr double kMinAppearance = 0.7;
// The box follows the flow, and is pulled this fraction of the way toward the box the new
// landmarks imply on every frame (that keeps it on the face as the flow drifts, without
// feeding the predictor's noise straight back into its next box), and this fraction toward a
// matching detection's box.
// (0.05-0.2 and 0.1-0.5 measured alike on the real clips.)
constexpr double kLandmarkPull = 0.1;
constexpr double kDetectionPull = 0.5;
// The predictor runs on the box and on copies shifted by this fraction of its width, and the
// landmarks are averaged: its noise from frame to frame comes mostly from where the box falls
// on its regression trees' pixel pairs, and differs between shifted boxes. Measured on the
// webcam and talking-face clips (150 frames, unsmoothed): five boxes shifted by 0.03 cut the
// temporal noise from 0.0040 to 0.0028 and 0.0053 to 0.0044 eye distances.
// Each landmark is the predictor's pulled this fraction of the way toward where the flow
// carried it from the last frame (0.5: noise 0.0028 -> 0.0024 on the webcam clip, unsmoothed).
constexpr double kFlowKeep = 0.5;
constexpr double kShift = 0.03;
constexpr std::array<std::array<double, 2>, 5> kShifts = {
    {{0.0, 0.0}, {kShift, 0.0}, {-kShift, 0.0}, {0.0, kShift}, {0.0, -kShift}}};

double Ms(int64_t t0) { return (core::NowNs() - t0) * 1e-6; }

// The face's motion from the last frame to this one, fitted to its followed landmarks' flow
// (invalid when the flow did not follow it).
FaceMotion FlowMotion(bool flow_ok, const std::vector<cv::Point2f>& from,
                      const std::vector<cv::Point2f>& to, const std::vector<uchar>& status) {
  if (!flow_ok || from.size() != core::kNumLandmarks || to.size() != from.size() ||
      status.size() != from.size()) {
    return {};
  }
  std::array<core::Vec2, core::kNumLandmarks> a, b;
  std::array<uint8_t, core::kNumLandmarks> followed;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    a[i] = {from[i].x, from[i].y};
    b[i] = {to[i].x, to[i].y};
    followed[i] = status[i] ? 1 : 0;
  }
  return FitFaceMotion(a.data(), b.data(), followed.data(), core::kNumLandmarks);
}

core::Rect Blend(const core::Rect& a, const core::Rect& b, double k) {
  return core::Rect{a.x + k * (b.x - a.x), a.y + k * (b.y - a.y), a.w + k * (b.w - a.w),
                    a.h + k * (b.h - a.h)};
}

}  // namespace

FaceTracker::FaceTracker(FaceAnalyzer& analyzer, TrackerTiming timing, DetectionMode mode)
    : analyzer_(analyzer), timing_(timing), schedule_(analyzer) {
  if (mode != DetectionMode::kAsynchronous) return;
  detector_ = analyzer.Clone();
  worker_ = std::make_unique<core::Worker>(
      "detector", [this](const std::atomic<bool>& stop) { DetectLoop(stop); },
      [this] {
        requests_.Close();
        results_.Close();
      });
}

FaceTracker::~FaceTracker() { worker_.reset(); }

void FaceTracker::Reset() {
  tracks_.clear();
  frames_since_detect_ = 0;
  first_frame_ = true;
  pending_ = false;
  waited_.reset();
  prev_grey_.release();
  pyramid_ready_ = prev_pyramid_ready_ = false;
  schedule_.Reset();
  ++generation_;
}

void FaceTracker::WaitForDetection() {
  if (!worker_ || !pending_ || waited_) return;
  waited_ = results_.Take();
}

void FaceTracker::DetectLoop(const std::atomic<bool>& stop) {
  while (auto request = requests_.Take()) {
    const int64_t t0 = core::NowNs();
    DetectResult result;
    result.found = RunDetection(*detector_, *request);
    result.boxes = std::move(request->boxes);
    result.generation = request->generation;
    result.ms = Ms(t0);
    if (stop || !results_.Publish(std::move(result))) break;
  }
}

bool FaceTracker::Request(const core::Params& params, double t_s) {
  DetectHint hint = Hint(t_s, params);
  if (hint.empty()) return false;
  schedule_.Looked(hint, t_s);
  // A frame made from planes is this frame's own; a caller's BGR frame is copied.
  DetectRequest request = Prepare(params, std::move(hint), true);
  request.generation = generation_;
  for (const Track& track : tracks_) {
    if (track.state != State::kLost) request.boxes.emplace_back(track.id, track.box);
  }
  requests_.Publish(std::move(request));
  pending_ = true;
  frames_since_detect_ = 0;
  return true;
}

FaceTracker::DetectRequest FaceTracker::Prepare(const core::Params& params, DetectHint hint,
                                                bool own_copy) {
  DetectRequest request;
  request.params = params;
  request.hint = std::move(hint);
  const bool cnn = analyzer_.has_cnn_detector() && params.detector == 0.0;
  const double width = params.detect_width;
  if (yuv_.empty() || !cnn || !(width > 0.0) || width >= yuv_.width()) {
    request.bgr = yuv_.empty() && own_copy ? bgr_.clone() : Colour();
    return request;
  }
  // From planes, for BlazeFace: the frame made once at the detector's own scale (the size
  // BlazeFace would scale it to), the hint and the results scaled to match.
  const double s = width / yuv_.width();
  const cv::Size size(std::max(1, static_cast<int>(std::lround(yuv_.width() * s))),
                      std::max(1, static_cast<int>(std::lround(yuv_.height() * s))));
  if (!core::ScaleYuv(yuv_, size, detect_yuv_).ok() ||
      !core::YuvToBgr(detect_yuv_, request.bgr).ok()) {
    request.bgr = Colour();
    return request;
  }
  request.scale = s;
  request.params.detect_width = size.width;
  for (core::Rect& f : request.hint.faces) f = core::Rect{s * f.x, s * f.y, s * f.w, s * f.h};
  return request;
}

core::Faces FaceTracker::RunDetection(FaceAnalyzer& analyzer, const DetectRequest& request) {
  core::Faces found = analyzer.DetectFollowing(request.bgr, request.params, request.hint);
  if (request.scale != 1.0) {
    const double k = 1.0 / request.scale;
    for (core::Face& f : found) {
      f.box = core::Rect{k * f.box.x, k * f.box.y, k * f.box.w, k * f.box.h};
      for (core::Vec2& p : f.points) p = k * p;
    }
  }
  return found;
}

DetectHint FaceTracker::Hint(double t_s, const core::Params& params) {
  std::vector<core::Rect> due;
  for (const Track& track : tracks_) {
    if (track.state == State::kLost) continue;
    // A face whose flow and appearance hold, and that a detection found lately, needs no
    // detection of its own yet.
    const bool healthy = track.state == State::kActive && track.doubt_since_s < 0.0 &&
                         track.flow_ok && track.appearance_ok &&
                         t_s - track.last_matched_s < kRefindS;
    if (!healthy) due.push_back(track.box);
  }
  return schedule_.Plan(t_s, params, std::move(due));
}

bool FaceTracker::InsideFrame(const core::Face& face) const {
  const core::Vec2 c = face.box.Centre();
  return c.x >= 0.0 && c.y >= 0.0 && c.x < grey_.cols && c.y < grey_.rows;
}

void FaceTracker::Chip(const core::Face& face, cv::Mat& out, cv::Mat& large, cv::Mat& small) const {
  FaceChip(grey_, face, analyzer_.BoxFromLandmarks(face), out, large, small);
}

void FaceTracker::Confirm(Track& track, double t_s) {
  if (track.state == State::kCandidate) track.state = State::kActive;
  track.last_matched_s = t_s;
  track.doubt_since_s = -1.0;
  track.missed_in_doubt = false;
  Chip(track.raw, track.appearance, track.chip_large, track.chip_small);
}

core::Face FaceTracker::Predict(const core::Rect& box) const {
  core::Face sum;
  sum.box = box;
  std::array<core::Rect, kShifts.size()> shifted;
  std::array<core::Face, kShifts.size()> faces;
  for (size_t k = 0; k < kShifts.size(); ++k) {
    const auto& s = kShifts[k];
    shifted[k] = core::Rect{box.x + s[0] * box.w, box.y + s[1] * box.h, box.w, box.h};
  }
  analyzer_.LandmarksMany(grey_, shifted.data(), static_cast<int>(shifted.size()), faces.data());
  for (const core::Face& f : faces) {
    for (int i = 0; i < core::kNumLandmarks; ++i) sum.points[i] = sum.points[i] + f.points[i];
  }
  for (core::Vec2& p : sum.points) p = (1.0 / kShifts.size()) * p;
  return sum;
}

void FaceTracker::Match(core::Faces found, const std::vector<std::pair<int, core::Rect>>& boxes,
                        double t_s, bool refit, bool cnn) {
  std::vector<bool> used(found.size(), false);
  for (Track& track : tracks_) {
    if (track.state == State::kLost) continue;
    const auto then = std::find_if(boxes.begin(), boxes.end(),
                                   [&](const auto& b) { return b.first == track.id; });
    const core::Rect box = then != boxes.end() ? then->second : track.box;
    int best = -1;
    double best_iou = kMatchIou;
    for (size_t i = 0; i < found.size(); ++i) {
      const double iou = core::Iou(box, found[i].box);
      if (!used[i] && iou >= best_iou) {
        best = static_cast<int>(i);
        best_iou = iou;
      }
    }
    if (best >= 0) {
      used[best] = true;
      track.matched = true;
      // Re-anchor on the detection (on the frame it was made on), halfway: the detector's own
      // box jitters more than the flow's.
      if (!refit) track.box = Blend(track.box, found[best].box, kDetectionPull);
    } else if (track.doubt_since_s >= 0.0) {
      track.missed_in_doubt = true;
    }
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (used[i]) continue;
    Track track;
    track.id = next_id_++;
    track.box = found[i].box;
    track.raw = Predict(track.box);
    track.last_matched_s = t_s;
    track.fresh = true;
    track.flow_ok = true;
    // BlazeFace's faces are warped from now on, fading in; a HOG detection waits for the next
    // one (it fires on badges). Faces on the first frame are warped at once, not faded in: a
    // still image has no second frame.
    track.state = cnn ? State::kActive : State::kCandidate;
    track.matched = cnn;
    if (first_frame_) {
      track.state = State::kActive;
      track.matched = true;
      track.weight = 1.0;
    }
    tracks_.push_back(std::move(track));
  }
}

bool FaceTracker::DetectionDue(const core::Params& params) const {
  bool following = false;
  bool waiting = false;
  for (const Track& track : tracks_) {
    following = following || track.state != State::kLost;
    // A candidate waits for the detector's second look; a face in doubt for its verdict.
    waiting =
        waiting || track.state == State::kCandidate ||
        (track.state == State::kActive && track.doubt_since_s >= 0.0 && !track.missed_in_doubt);
  }
  return !following || waiting || frames_since_detect_ >= static_cast<int>(params.detect_every);
}

void FaceTracker::BuildPyramid() {
  if (pyramid_ready_) return;
  BuildFlowPyramid(grey_, pyramid_);
  pyramid_ready_ = true;
}

void FaceTracker::Flow(Track& track) const {
  // On the frames' pyramids (with their derivatives), built once per frame for every face.
  track.flow_ok = prev_pyramid_ready_ && pyramid_ready_ &&
                  prev_pyramid_[0].size() == grey_.size() &&
                  FollowLandmarks(prev_pyramid_, pyramid_, track.raw, track.box, track.flow);
}

void FaceTracker::Follow(Track& track) const {
  if (track.matched) {
    // Re-anchored by this frame's detection: its landmarks from the detection's box (Verify
    // confirms it and takes its chip).
    track.raw = Predict(track.box);
    track.raw.box = analyzer_.BoxFromLandmarks(track.raw);
    return;
  }
  if (!track.fresh) {
    const core::Face predicted = Predict(track.box);
    track.box = Blend(track.box, analyzer_.BoxFromLandmarks(predicted), kLandmarkPull);
    // Each landmark: the predictor's, pulled toward where the flow carried the last one. The
    // flow follows the face's motion without lag; the predictor's noise is averaged out.
    const double keep = track.flow_ok ? kFlowKeep : 0.0;
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      const core::Vec2 flowed{track.flow.to[i].x, track.flow.to[i].y};
      track.raw.points[i] = predicted.points[i] + keep * (flowed - predicted.points[i]);
    }
  }
  track.raw.box = analyzer_.BoxFromLandmarks(track.raw);
  if (track.appearance.empty()) {
    track.appearance_ok = true;
  } else {
    Chip(track.raw, track.chip, track.chip_large, track.chip_small);
    track.appearance_ok = track.chip.dot(track.appearance) >= kMinAppearance;
  }
}

void FaceTracker::Verify(Track& track, double t_s, bool detected, TrackerTimings& timings) {
  if (!InsideFrame(track.raw)) {
    track.state = State::kLost;
    return;
  }
  if (track.matched) {
    Confirm(track, t_s);
    return;
  }
  if (track.state == State::kCandidate) {
    // Not found again by the detection after its own: a pattern that passed the HOG
    // detector's check once (the astronaut's chest badge does, in a few frames). The detection
    // that found it (fresh) is not that second look.
    if (detected && !track.fresh) track.state = State::kLost;
    return;
  }
  if (t_s - track.last_matched_s >= timing_.miss_limit_s && !track.appearance_ok) {
    track.state = State::kLost;
    return;
  }
  // The flow sustains a face whose appearance changes (turning), but cannot end a doubt: after a
  // cut it follows whatever replaced the face.
  const bool doubtful = track.doubt_since_s >= 0.0;
  if (track.appearance_ok || (track.flow_ok && !doubtful)) {
    track.doubt_since_s = -1.0;
    track.missed_in_doubt = false;
    return;
  }
  ++timings.doubtful;
  if (track.doubt_since_s < 0.0) {
    track.doubt_since_s = t_s;
    track.missed_in_doubt = false;
  }
  if (track.missed_in_doubt && t_s - track.doubt_since_s >= timing_.hold_s) {
    track.state = State::kLost;
  }
}

void FaceTracker::RemoveDuplicates() {
  // Two tracks that converged on one face: keep the older.
  for (size_t i = 0; i < tracks_.size(); ++i) {
    for (size_t j = i + 1; j < tracks_.size(); ++j) {
      if (tracks_[i].state == State::kLost || tracks_[j].state == State::kLost) continue;
      if (core::Iou(tracks_[i].raw.box, tracks_[j].raw.box) > kDuplicateIou) {
        Track& younger = tracks_[i].id > tracks_[j].id ? tracks_[i] : tracks_[j];
        younger.state = State::kLost;
        younger.weight = 0.0;
      }
    }
  }
}

void FaceTracker::UpdateWeights(double t_s) {
  const double dt = first_frame_ ? 0.0 : std::max(0.0, t_s - last_t_);
  for (Track& track : tracks_) {
    if (track.state == State::kLost) {
      track.weight -= timing_.fade_out_s > 0.0 ? dt / timing_.fade_out_s : 1.0;
    } else if (track.state == State::kActive) {
      // A face new on this frame gets one frame's worth of weight: it shows at once, faintly.
      track.weight += timing_.fade_in_s > 0.0 ? std::max(dt, 1e-3) / timing_.fade_in_s : 1.0;
    }
    track.weight = std::clamp(track.weight, 0.0, 1.0);
  }
  tracks_.erase(
      std::remove_if(tracks_.begin(), tracks_.end(),
                     [](const Track& t) { return t.state == State::kLost && t.weight <= 0.0; }),
      tracks_.end());
}

core::Faces FaceTracker::Process(const cv::Mat& bgr, double t_s, const core::Params& params,
                                 TrackerTimings* timings) {
  if (bgr.empty()) {
    if (timings != nullptr) *timings = TrackerTimings{};
    return {};
  }
  bgr_ = bgr;
  std::swap(grey_, prev_grey_);
  ToGrey(bgr_, grey_);
  return ProcessGrey(t_s, params, timings);
}

core::Faces FaceTracker::Process(const core::YuvImage& yuv, double t_s, const core::Params& params,
                                 TrackerTimings* timings) {
  if (yuv.empty()) {
    if (timings != nullptr) *timings = TrackerTimings{};
    return {};
  }
  yuv_ = yuv;
  bgr_.release();
  std::swap(grey_, prev_grey_);
  core::YuvToGrey(yuv, grey_);
  return ProcessGrey(t_s, params, timings);
}

const cv::Mat& FaceTracker::Colour() {
  // The frame's BGR is new memory each time (the detector thread may hold the last one).
  if (bgr_.empty() && !yuv_.empty() && !core::YuvToBgr(yuv_, bgr_).ok()) bgr_.release();
  return bgr_;
}

core::Faces FaceTracker::ProcessGrey(double t_s, const core::Params& params,
                                     TrackerTimings* timings) {
  TrackerTimings local;
  std::swap(pyramid_, prev_pyramid_);
  prev_pyramid_ready_ = pyramid_ready_;
  pyramid_ready_ = false;
  for (Track& track : tracks_) track.fresh = track.matched = false;
  const bool cnn = analyzer_.has_cnn_detector() && params.detector == 0.0;

  ++frames_since_detect_;
  // Asynchronous after the first frame, unless the detector thread died (then as before).
  const bool async = worker_ && !first_frame_ && !worker_->finished();
  const int64_t t1 = core::NowNs();
  // Every face moves with its flow first, so that a detection matches this frame's boxes; the
  // predictor runs once the detection (if any) has re-anchored the boxes it matched.
  std::vector<Track*> moving;
  for (Track& track : tracks_) {
    if (track.state != State::kLost) moving.push_back(&track);
  }
  if (!moving.empty() && prev_pyramid_ready_) BuildPyramid();
  cv::parallel_for_(cv::Range(0, static_cast<int>(moving.size())), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) Flow(*moving[i]);
  });
  double follow_ms = Ms(t1);
  // Where the picture shows something new (the faces' own regions left out).
  {
    std::vector<core::Rect> followed;
    for (const Track* track : moving) followed.push_back(track->box);
    schedule_.Update(grey_, followed);
  }
  if (!async && DetectionDue(params)) {
    const int64_t t0 = core::NowNs();
    // The first frame (a still image too) is searched everywhere; later ones where the hint
    // says: the followed faces due to be found again, and where something new shows. With
    // nothing to look at there is no detection (and one is due again on the next frame).
    std::optional<core::Faces> found;
    if (first_frame_) {
      found = analyzer_.Detect(Colour(), params);
      schedule_.Looked(schedule_.Everything(t_s, params), t_s);
    } else if (DetectHint hint = Hint(t_s, params); !hint.empty()) {
      schedule_.Looked(hint, t_s);
      found = RunDetection(analyzer_, Prepare(params, std::move(hint), false));
    }
    if (found) {
      Match(std::move(*found), {}, t_s, false, cnn);
      frames_since_detect_ = 0;
      local.detect_ms = Ms(t0);
      local.detected = true;
    }
  } else if (async) {
    std::optional<DetectResult> result = waited_ ? std::move(waited_) : results_.TryTake();
    waited_.reset();
    if (result && result->generation == generation_) {
      pending_ = false;
      Match(std::move(result->found), result->boxes, t_s, true, cnn);
      local.detect_ms = result->ms;
      local.detected = true;
    }
  }
  const int64_t t2 = core::NowNs();
  moving.clear();
  for (Track& track : tracks_) {
    if (track.state != State::kLost && !track.fresh) moving.push_back(&track);
  }
  cv::parallel_for_(cv::Range(0, static_cast<int>(moving.size())), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) Follow(*moving[i]);
  });
  for (Track& track : tracks_) {
    if (track.state != State::kLost) Verify(track, t_s, local.detected, local);
  }
  RemoveDuplicates();
  UpdateWeights(t_s);
  // Requested after following, so that the tracks' boxes sent along are on this frame.
  if (async && !pending_ && DetectionDue(params)) local.requested = Request(params, t_s);

  const OneEuroParams smoothing{params.smooth_min_cutoff, params.smooth_beta, 1.0};
  core::Faces out;
  for (Track& track : tracks_) {
    if (track.state != State::kLost) {
      track.smoothed = track.raw;
      // A track new on this frame has no flow yet.
      const FaceMotion motion = FlowMotion(track.flow_ok && !track.fresh, track.flow.from,
                                           track.flow.to, track.flow.status);
      if (smoothing_) track.smoother.Smooth(track.smoothed, t_s, smoothing, motion);
      track.smoothed.box = analyzer_.BoxFromLandmarks(track.smoothed);
    }
    track.smoothed.weight = track.weight;
    track.smoothed.id = track.id;
    if (track.weight > 0.0) out.push_back(track.smoothed);
  }
  std::stable_sort(out.begin(), out.end(), [](const core::Face& a, const core::Face& b) {
    return a.box.Area() > b.box.Area();
  });
  local.landmarks_ms = follow_ms + Ms(t2);

  // The next frame's flow starts from this frame's pyramid.
  if (!tracks_.empty()) BuildPyramid();
  first_frame_ = false;
  last_t_ = t_s;
  bgr_.release();
  yuv_ = core::YuvImage();
  if (timings != nullptr) *timings = local;
  return out;
}

}  // namespace fw::tracking
