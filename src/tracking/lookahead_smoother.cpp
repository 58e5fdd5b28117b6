#include "tracking/lookahead_smoother.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace fw::tracking {
namespace {

constexpr double kPi = 3.14159265358979323846;
// The window reaches this many standard deviations back.
constexpr double kReach = 3.0;
// A face not output for this long starts its One Euro filter afresh.
constexpr double kForgetS = 0.5;

const core::Face* FindFace(const core::Faces& faces, int id) {
  for (const core::Face& f : faces) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace

int LookaheadSmoother::FramesAhead(double ahead_s, double fps) {
  if (!(ahead_s > 0.0) || !(fps > 0.0)) return 0;
  return static_cast<int>(std::ceil(ahead_s * fps - 1e-6));
}

void LookaheadSmoother::Push(const core::Faces& faces, double t_s) {
  frames_.push_back(Frame{t_s, faces});
}

void LookaheadSmoother::Reset() {
  frames_.clear();
  next_ = 0;
  held_.clear();
}

core::Faces LookaheadSmoother::Pop(const OneEuroParams& params) {
  const Frame& frame = frames_[next_];
  const double t0 = frame.t_s;
  const double reach = kReach * kWindowSigmaS;
  const size_t last = std::min(frames_.size() - 1, next_ + static_cast<size_t>(ahead_));
  core::Faces out = frame.faces;
  for (core::Face& face : out) {
    // The weighted least-squares line a + b (t - t0) through each coordinate over the window.
    double s0 = 0.0, s1 = 0.0, s2 = 0.0;
    std::array<core::Vec2, core::kNumLandmarks> sp{}, stp{};
    for (size_t j = 0; j <= last; ++j) {
      const double dt = frames_[j].t_s - t0;
      if (dt < -reach) continue;
      const core::Face* f = FindFace(frames_[j].faces, face.id);
      if (f == nullptr) continue;
      const double w = std::exp(-0.5 * (dt / kWindowSigmaS) * (dt / kWindowSigmaS));
      s0 += w;
      s1 += w * dt;
      s2 += w * dt * dt;
      for (int i = 0; i < core::kNumLandmarks; ++i) {
        sp[i] = sp[i] + w * f->points[i];
        stp[i] = stp[i] + (w * dt) * f->points[i];
      }
    }
    const double det = s0 * s2 - s1 * s1;
    const bool line = det > 1e-12 * s0 * s0;
    std::array<core::Vec2, core::kNumLandmarks> value{}, slope{};
    double slope_sq = 0.0;
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      if (line) {
        value[i] = (1.0 / det) * (s2 * sp[i] - s1 * stp[i]);
        slope[i] = (1.0 / det) * (s0 * stp[i] - s1 * sp[i]);
      } else {
        value[i] = (1.0 / s0) * sp[i];
      }
      slope_sq += Dot(slope[i], slope[i]);
    }

    // The One Euro filter on the line's values, carried by its slope once the face moves.
    core::Face fitted = face;
    fitted.points = value;
    const double eye = std::max(core::OuterEyeDistance(fitted), 1.0);
    const double speed = std::sqrt(slope_sq / core::kNumLandmarks) / eye;
    auto [it, added] = held_.try_emplace(face.id);
    Held& held = it->second;
    const double dt = t0 - held.t_s;
    if (added || !(dt > 0.0) || dt > kForgetS) {
      held.points = value;
    } else {
      const double alpha = OneEuroAlpha(params.min_cutoff + params.beta * speed, dt);
      const double carry = speed * speed / (speed * speed + kCarrySpeed * kCarrySpeed);
      for (int i = 0; i < core::kNumLandmarks; ++i) {
        const core::Vec2 predicted = held.points[i] + (carry * dt) * slope[i];
        held.points[i] = predicted + alpha * (value[i] - predicted);
      }
    }
    held.t_s = t0;

    core::Vec2 shift;
    for (int i = 0; i < core::kNumLandmarks; ++i) shift = shift + (held.points[i] - face.points[i]);
    shift = (1.0 / core::kNumLandmarks) * shift;
    face.points = held.points;
    face.box.x += shift.x;
    face.box.y += shift.y;
  }

  ++next_;
  // Frames the next one's window no longer reaches, and faces gone for a while, are dropped.
  const double keep_from = (next_ < frames_.size() ? frames_[next_].t_s : t0) - reach;
  while (next_ > 0 && frames_.front().t_s < keep_from) {
    frames_.pop_front();
    --next_;
  }
  for (auto it = held_.begin(); it != held_.end();) {
    it = t0 - it->second.t_s > kForgetS ? held_.erase(it) : std::next(it);
  }
  return out;
}

}  // namespace fw::tracking
