#include "tracking/face_tracker.h"

#include <algorithm>

#include "core/stats.h"

namespace fw::tracking {

namespace {

// A detection continues a track when their boxes overlap this much.
constexpr double kMatchIou = 0.3;
// Two tracks this close follow the same face: the younger one goes.
constexpr double kDuplicateIou = 0.5;

double Ms(int64_t t0) { return (core::NowNs() - t0) * 1e-6; }

}  // namespace

FaceTracker::FaceTracker(FaceAnalyzer& analyzer, TrackerTiming timing)
    : analyzer_(analyzer), timing_(timing) {}

void FaceTracker::Reset() {
  tracks_.clear();
  frames_since_detect_ = 0;
  first_frame_ = true;
}

bool FaceTracker::InsideFrame(const core::Face& face) const {
  const core::Vec2 c = face.box.Centre();
  return c.x >= 0.0 && c.y >= 0.0 && c.x < grey_.cols && c.y < grey_.rows;
}

void FaceTracker::DetectAndMatch(double t_s, const core::Params& params) {
  core::Faces found = analyzer_.Detect(grey_, params);
  std::vector<bool> used(found.size(), false);
  for (Track& track : tracks_) {
    if (track.lost) continue;
    const core::Rect box = analyzer_.BoxFromLandmarks(track.raw);
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
      track.last_confirmed_s = t_s;
      track.last_checked_s = t_s;
    }
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (used[i]) continue;
    Track track;
    track.id = next_id_++;
    track.raw = found[i];
    track.last_confirmed_s = t_s;
    track.last_checked_s = t_s;
    track.fresh = true;
    // Faces present from the first frame are warped from the start, not faded in.
    track.weight = first_frame_ ? 1.0 : 0.0;
    tracks_.push_back(std::move(track));
  }
}

void FaceTracker::FollowAndVerify(double t_s) {
  for (Track& track : tracks_) {
    if (track.lost) continue;
    if (track.fresh) {
      track.fresh = false;
    } else {
      core::Face next = analyzer_.Landmarks(grey_, analyzer_.BoxFromLandmarks(track.raw));
      track.raw.points = next.points;
      track.raw.box = next.box;
    }
    if (!InsideFrame(track.raw)) {
      track.lost = true;
      continue;
    }
    const bool unconfirmed = track.last_confirmed_s < t_s;
    const bool due = t_s - track.last_checked_s >= timing_.verify_every_s;
    // A face that failed its last check is checked on every frame until it passes or is lost.
    const bool doubtful = track.last_checked_s > track.last_confirmed_s;
    if (unconfirmed && (due || doubtful)) {
      track.last_checked_s = t_s;
      if (analyzer_.AlignedScore(grey_, track.raw) >= kMinAlignedScore) {
        track.last_confirmed_s = t_s;
      }
    }
    if (t_s - track.last_confirmed_s > timing_.hold_s) track.lost = true;
  }
  // Two tracks that converged on one face: keep the older.
  for (size_t i = 0; i < tracks_.size(); ++i) {
    for (size_t j = i + 1; j < tracks_.size(); ++j) {
      if (tracks_[i].lost || tracks_[j].lost) continue;
      if (core::Iou(tracks_[i].raw.box, tracks_[j].raw.box) > kDuplicateIou) {
        Track& younger = tracks_[i].id > tracks_[j].id ? tracks_[i] : tracks_[j];
        younger.lost = true;
        younger.weight = 0.0;
      }
    }
  }
}

void FaceTracker::UpdateWeights(double t_s) {
  const double dt = first_frame_ ? 0.0 : std::max(0.0, t_s - last_t_);
  for (Track& track : tracks_) {
    if (track.lost) {
      track.weight -= timing_.fade_out_s > 0.0 ? dt / timing_.fade_out_s : 1.0;
    } else {
      track.weight += timing_.fade_in_s > 0.0 ? dt / timing_.fade_in_s : 1.0;
    }
    track.weight = std::clamp(track.weight, 0.0, 1.0);
  }
  tracks_.erase(std::remove_if(tracks_.begin(), tracks_.end(),
                               [](const Track& t) { return t.lost && t.weight <= 0.0; }),
                tracks_.end());
}

core::Faces FaceTracker::Process(const cv::Mat& bgr, double t_s, const core::Params& params,
                                 TrackerTimings* timings) {
  TrackerTimings local;
  ToGrey(bgr, grey_);

  ++frames_since_detect_;
  const int detect_every = tracks_.empty() ? 1 : static_cast<int>(params.detect_every);
  const bool detect = first_frame_ || frames_since_detect_ >= detect_every;
  if (detect) {
    const int64_t t0 = core::NowNs();
    DetectAndMatch(t_s, params);
    frames_since_detect_ = 0;
    local.detect_ms = Ms(t0);
    local.detected = true;
  }

  const int64_t t1 = core::NowNs();
  FollowAndVerify(t_s);
  UpdateWeights(t_s);

  const OneEuroParams smoothing{params.smooth_min_cutoff, params.smooth_beta, 1.0};
  core::Faces out;
  for (Track& track : tracks_) {
    if (!track.lost) {
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
  if (timings != nullptr) *timings = local;
  return out;
}

}  // namespace fw::tracking
