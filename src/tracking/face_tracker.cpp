#include "tracking/face_tracker.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "core/stats.h"

namespace fw::tracking {

namespace {

// A detection continues a track when their boxes overlap this much.
constexpr double kMatchIou = 0.3;
// Two tracks this close follow the same face: the younger one goes.
constexpr double kDuplicateIou = 0.5;
// Grey pixels converted around a tracked face, in box widths beyond each side of its box: the
// shape predictor reads at most 0.3 beyond the box (measured on the bundled clips: 0.2 leaves
// differences on group3's tilted faces, 0.3 none), the appearance chip 0.21 (at 45 degrees).
constexpr double kGreyMargin = 0.35;
// Side of the appearance chip, pixels: enough to tell a face from background or a flat frame,
// few enough to cost microseconds.
constexpr int kChipSize = 24;
constexpr int kChipOversample = 4;
// Normalised correlation of a face's chip with its chip at the last confirmation below which
// its appearance has changed (turned, occluded, gone) and the aligned score is asked again.
// Measured on the bundled clips: a tracked face stays above 0.99 between detections (zoom and
// roll included: the chip undoes them); a flat frame gives 0, background in its place at most
// 0.47.
constexpr double kMinAppearance = 0.7;

double Ms(int64_t t0) { return (core::NowNs() - t0) * 1e-6; }

core::Vec2 Mean(const core::Face& face, int first, int count) {
  core::Vec2 sum;
  for (int i = first; i < first + count; ++i) sum = sum + face.points[i];
  return (1.0 / count) * sum;
}

}  // namespace

FaceTracker::FaceTracker(FaceAnalyzer& analyzer, TrackerTiming timing, DetectionMode mode)
    : analyzer_(analyzer), timing_(timing) {
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
  ++generation_;
}

void FaceTracker::DetectLoop(const std::atomic<bool>& stop) {
  while (auto request = requests_.Take()) {
    const int64_t t0 = core::NowNs();
    DetectResult result;
    result.found = detector_->Detect(request->grey, request->params);
    result.boxes = std::move(request->boxes);
    result.generation = request->generation;
    result.ms = Ms(t0);
    if (stop || !results_.Publish(std::move(result))) break;
  }
}

void FaceTracker::Request(const core::Params& params) {
  PrepareGrey();
  DetectRequest request;
  request.grey = grey_.clone();
  request.params = params;
  request.generation = generation_;
  for (const Track& track : tracks_) {
    if (track.state != State::kLost) {
      request.boxes.emplace_back(track.id, analyzer_.BoxFromLandmarks(track.raw));
    }
  }
  requests_.Publish(std::move(request));
  pending_ = true;
  frames_since_detect_ = 0;
}

bool FaceTracker::InsideFrame(const core::Face& face) const {
  const core::Vec2 c = face.box.Centre();
  return c.x >= 0.0 && c.y >= 0.0 && c.x < bgr_.cols && c.y < bgr_.rows;
}

void FaceTracker::PrepareGrey() {
  if (grey_complete_) return;
  ToGrey(bgr_, grey_);
  grey_complete_ = true;
}

void FaceTracker::PrepareGrey(const core::Face& face) {
  if (grey_complete_) return;
  grey_.create(bgr_.size(), CV_8UC1);
  const core::Rect box = analyzer_.BoxFromLandmarks(face);
  const double m = kGreyMargin * box.w;
  const cv::Rect region = cv::Rect(cv::Point(static_cast<int>(std::floor(box.x - m)),
                                             static_cast<int>(std::floor(box.y - m))),
                                   cv::Point(static_cast<int>(std::ceil(box.x + box.w + m)) + 1,
                                             static_cast<int>(std::ceil(box.y + box.h + m)) + 1)) &
                          cv::Rect(0, 0, bgr_.cols, bgr_.rows);
  if (region.empty()) return;
  cv::Mat out = grey_(region);
  ToGrey(bgr_(region), out);
}

void FaceTracker::Chip(const core::Face& face, cv::Mat& out) {
  // Upright (eye line horizontal) and at the face's own scale, so that the chip of a face that
  // turns in the image plane or comes closer stays the same. Sampled at kChipOversample times
  // the chip's size and then averaged down, so that a large face's chip is not aliased noise.
  const core::Rect box = analyzer_.BoxFromLandmarks(face);
  const core::Vec2 eyes = Mean(face, core::lm::kRightEyeFirst, core::lm::kEyeRingSize) -
                          Mean(face, core::lm::kLeftEyeFirst, core::lm::kEyeRingSize);
  const core::Vec2 c = box.Centre();
  const int size = kChipSize * kChipOversample;
  // Image to chip: rotate by the eye line's angle and scale about the face's centre, which
  // lands on the chip's centre.
  const double angle = std::atan2(eyes.y, eyes.x);
  const double scale = size / std::max(box.w, 1.0);
  const double a = scale * std::cos(angle), b = scale * std::sin(angle);
  const double half = 0.5 * (size - 1);
  const cv::Matx23d m(a, b, half - a * c.x - b * c.y, -b, a, half + b * c.x - a * c.y);
  cv::warpAffine(grey_, chip_large_, m, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(128));
  cv::resize(chip_large_, chip_, cv::Size(kChipSize, kChipSize), 0.0, 0.0, cv::INTER_AREA);
  chip_.convertTo(out, CV_32F);
  out -= cv::mean(out)[0];
  const double norm = cv::norm(out);
  if (norm > 1e-3 * kChipSize) {
    out *= 1.0 / norm;
  } else {
    out.setTo(0.0);
  }
}

void FaceTracker::Confirm(Track& track, double t_s) {
  if (track.state == State::kCandidate) track.state = State::kActive;
  track.last_confirmed_s = t_s;
  track.doubt_since_s = -1.0;
  Chip(track.raw, track.appearance);
}

void FaceTracker::Match(core::Faces found, const std::vector<std::pair<int, core::Rect>>& boxes,
                        double t_s, bool refit) {
  std::vector<bool> used(found.size(), false);
  for (Track& track : tracks_) {
    if (track.state == State::kLost) continue;
    const auto then = std::find_if(boxes.begin(), boxes.end(),
                                   [&](const auto& b) { return b.first == track.id; });
    const core::Rect box =
        then != boxes.end() ? then->second : analyzer_.BoxFromLandmarks(track.raw);
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
    }
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (used[i]) continue;
    Track track;
    track.id = next_id_++;
    track.raw = refit ? analyzer_.Landmarks(grey_, found[i].box) : std::move(found[i]);
    track.last_confirmed_s = t_s;
    track.fresh = true;
    // Faces present from the first frame are warped from the start, not faded in: a still
    // image has no second frame.
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
  bool candidates = false;
  for (const Track& track : tracks_) {
    following = following || track.state != State::kLost;
    candidates = candidates || track.state == State::kCandidate;
  }
  // A candidate waits for the detector's second look on the next detection.
  return !following || candidates || frames_since_detect_ >= static_cast<int>(params.detect_every);
}

void FaceTracker::Follow(Track& track) {
  if (track.fresh) return;
  PrepareGrey(track.raw);
  const core::Face next = analyzer_.Landmarks(grey_, analyzer_.BoxFromLandmarks(track.raw));
  track.raw.points = next.points;
  track.raw.box = next.box;
}

void FaceTracker::Verify(Track& track, double t_s, bool detected, TrackerTimings& timings) {
  if (!InsideFrame(track.raw)) {
    track.state = State::kLost;
    return;
  }
  PrepareGrey(track.raw);
  if (track.matched) {
    Confirm(track, t_s);
    return;
  }
  if (track.state == State::kCandidate) {
    // Not found again by the detection after its own: a pattern that
    // passed the detector's check once (the astronaut's chest badge does, in a few frames).
    if (detected && !track.fresh) track.state = State::kLost;
    return;
  }
  Chip(track.raw, chip_float_);
  const bool changed = chip_float_.dot(track.appearance) < kMinAppearance;
  const bool doubtful = track.doubt_since_s >= 0.0;
  const bool due = t_s - track.last_confirmed_s >= timing_.verify_every_s;
  // `detected`: the detector ran on this frame and did not find this face.
  if (!(changed || doubtful || due || detected)) return;
  ++timings.verified;
  PrepareGrey();
  if (analyzer_.AlignedScore(grey_, track.raw) >= kMinAlignedScore) {
    Confirm(track, t_s);
    return;
  }
  if (!doubtful) track.doubt_since_s = t_s;
  if (t_s - track.doubt_since_s >= timing_.hold_s) track.state = State::kLost;
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
      track.weight += timing_.fade_in_s > 0.0 ? dt / timing_.fade_in_s : 1.0;
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
  TrackerTimings local;
  if (bgr.empty()) {
    if (timings != nullptr) *timings = local;
    return {};
  }
  bgr_ = bgr;
  grey_complete_ = false;
  for (Track& track : tracks_) track.fresh = track.matched = false;

  ++frames_since_detect_;
  // Asynchronous after the first frame, unless the detector thread died (then as before).
  const bool async = worker_ && !first_frame_ && !worker_->finished();
  if (!async && DetectionDue(params)) {
    const int64_t t0 = core::NowNs();
    PrepareGrey();
    Match(analyzer_.Detect(grey_, params), {}, t_s, false);
    frames_since_detect_ = 0;
    local.detect_ms = Ms(t0);
    local.detected = true;
  } else if (async) {
    std::optional<DetectResult> result = results_.TryTake();
    if (result && result->generation == generation_) {
      pending_ = false;
      PrepareGrey();
      Match(std::move(result->found), result->boxes, t_s, true);
      local.detect_ms = result->ms;
      local.detected = true;
    }
  }
  const int64_t t1 = core::NowNs();
  for (Track& track : tracks_) {
    if (track.state == State::kLost) continue;
    Follow(track);
    Verify(track, t_s, local.detected, local);
  }
  RemoveDuplicates();
  UpdateWeights(t_s);
  // Requested after following, so that the tracks' boxes sent along are on this frame.
  if (async && !pending_ && DetectionDue(params)) {
    Request(params);
    local.requested = true;
  }

  const OneEuroParams smoothing{params.smooth_min_cutoff, params.smooth_beta, 1.0};
  core::Faces out;
  for (Track& track : tracks_) {
    if (track.state != State::kLost) {
      track.smoothed = track.raw;
      track.smoother.Smooth(track.smoothed, t_s, smoothing);
      track.smoothed.box = analyzer_.BoxFromLandmarks(track.smoothed);
    }
    track.smoothed.weight = track.weight;
    if (track.weight > 0.0) out.push_back(track.smoothed);
  }
  std::stable_sort(out.begin(), out.end(), [](const core::Face& a, const core::Face& b) {
    return a.box.Area() > b.box.Area();
  });
  local.landmarks_ms = Ms(t1);

  first_frame_ = false;
  last_t_ = t_s;
  bgr_.release();
  if (timings != nullptr) *timings = local;
  return out;
}

}  // namespace fw::tracking
