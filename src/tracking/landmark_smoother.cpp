#include "tracking/landmark_smoother.h"

#include <algorithm>
#include <cmath>

namespace fw::tracking {

namespace {
// A repeated or reversed timestamp would divide by zero; treat it as one 1 kHz tick.
constexpr double kMinDt = 1e-3;

// The similarity of a fit applied to a point of the reference frame, and its inverse.
core::Vec2 Apply(const ShapeFit& fit, core::Vec2 m) {
  const double c = fit.scale * std::cos(fit.angle), s = fit.scale * std::sin(fit.angle);
  return fit.translation + core::Vec2{c * m.x - s * m.y, s * m.x + c * m.y};
}

core::Vec2 Unapply(const ShapeFit& fit, core::Vec2 x) {
  const core::Vec2 d = x - fit.translation;
  const double c = std::cos(fit.angle) / fit.scale, s = std::sin(fit.angle) / fit.scale;
  return {c * d.x + s * d.y, -s * d.x + c * d.y};
}

// The similarity that maps reference points a0, b0 onto a1, b1.
ShapeFit FitTwoPoints(core::Vec2 a0, core::Vec2 b0, core::Vec2 a1, core::Vec2 b1) {
  const core::Vec2 d0 = b0 - a0, d1 = b1 - a1;
  ShapeFit fit;
  fit.scale = core::Norm(d1) / core::Norm(d0);
  fit.angle = std::atan2(d1.y, d1.x) - std::atan2(d0.y, d0.x);
  fit.translation = a1 - Apply(fit, a0);
  return fit;
}

}  // namespace

FaceMotion FitFaceMotion(const core::Vec2* from, const core::Vec2* to, const uint8_t* followed,
                         int n) {
  int count = 0;
  for (int i = 0; i < n; ++i) count += followed[i] ? 1 : 0;
  const bool all = count < 3;
  core::Vec2 f_bar, t_bar;
  count = 0;
  for (int i = 0; i < n; ++i) {
    if (!all && !followed[i]) continue;
    f_bar = f_bar + from[i];
    t_bar = t_bar + to[i];
    ++count;
  }
  FaceMotion motion;
  if (count == 0) return motion;
  f_bar = (1.0 / count) * f_bar;
  t_bar = (1.0 / count) * t_bar;
  double ff = 0.0, dot = 0.0, cross = 0.0;
  for (int i = 0; i < n; ++i) {
    if (!all && !followed[i]) continue;
    const core::Vec2 f = from[i] - f_bar, t = to[i] - t_bar;
    ff += core::Norm2(f);
    dot += core::Dot(f, t);
    cross += f.x * t.y - f.y * t.x;
  }
  if (!(ff > 0.0)) return motion;
  motion.valid = true;
  motion.a = dot / ff;
  motion.b = cross / ff;
  motion.t = t_bar - core::Vec2{motion.a * f_bar.x - motion.b * f_bar.y,
                                motion.b * f_bar.x + motion.a * f_bar.y};
  return motion;
}

void LandmarkSmoother::Smooth(core::Face& face, double t_s, const OneEuroParams& p,
                              const FaceMotion& motion) {
  const double eye = core::OuterEyeDistance(face);
  if (!initialised_) {
    initialised_ = true;
    reference_ = face.points;
    reference_eye_ = eye > 0.0 ? eye : 1.0;
    core::Vec2 centre;
    for (const core::Vec2& q : reference_) centre = centre + q;
    centre = (1.0 / core::kNumLandmarks) * centre;
    anchors_ = {centre - core::Vec2{0.5 * reference_eye_, 0.0},
                centre + core::Vec2{0.5 * reference_eye_, 0.0}};
    pose_samples_ = 0;
    for (PointFilter& f : shape_) f.Reset();
  }
  const ShapeFit fit = FitMeanShape(face.points, reference_);
  if (!(fit.scale > 0.0)) return;  // all points on one spot: nothing to filter
  const std::array<core::Vec2, 2> measured = {Apply(fit, anchors_[0]), Apply(fit, anchors_[1])};
  if (pose_samples_ == 0) {
    pose_ = last_ = measured;
    speed_ = velocity_ = {};
    pose_samples_ = 1;
  } else {
    const double dt = std::fmax(t_s - t_prev_, kMinDt);
    const double carry_weight = OneEuroAlpha(kMotionCutoffHz, dt);
    const double speed_weight = OneEuroAlpha(p.d_cutoff, dt);
    double speed = 0.0;
    for (int k = 0; k < 2; ++k) {
      // Where the measured motion takes the filtered pose (else the pose's own last step).
      const core::Vec2 step =
          motion.valid ? motion.Apply(pose_[k]) - pose_[k] : measured[k] - last_[k];
      velocity_[k] = velocity_[k] + carry_weight * ((1.0 / dt) * step - velocity_[k]);
      speed_[k] = speed_[k] + speed_weight * ((1.0 / dt) * (measured[k] - last_[k]) - speed_[k]);
      speed = std::fmax(speed, core::Norm(speed_[k]));
    }
    last_ = measured;
    if (pose_samples_ < (1 << 20)) ++pose_samples_;
    const double a =
        std::fmax(OneEuroAlpha(p.min_cutoff + p.beta * speed / (eye > 0.0 ? eye : 1.0), dt),
                  1.0 / pose_samples_);
    for (int k = 0; k < 2; ++k) {
      const core::Vec2 predicted = pose_[k] + (kMotionCarry * dt) * velocity_[k];
      pose_[k] = predicted + a * (measured[k] - predicted);
    }
  }
  t_prev_ = t_s;
  const ShapeFit smoothed = FitTwoPoints(anchors_[0], anchors_[1], pose_[0], pose_[1]);
  OneEuroParams shape_params = p;
  shape_params.beta *= kShapeBetaScale;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    const core::Vec2 s =
        shape_[i].Filter(Unapply(fit, face.points[i]), t_s, reference_eye_, shape_params);
    face.points[i] = Apply(smoothed, s);
  }
}

}  // namespace fw::tracking
