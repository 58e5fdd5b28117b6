#include "tracking/one_euro_filter.h"

#include <cmath>

namespace fw::tracking {

namespace {
constexpr double kPi = 3.14159265358979323846;
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

double OneEuroAlpha(double cutoff_hz, double dt_s) {
  const double tau = 1.0 / (2.0 * kPi * cutoff_hz);
  return 1.0 / (1.0 + tau / dt_s);
}

double OneEuroFilter::Filter(double x, double t_s, const OneEuroParams& p) {
  if (!initialised_) {
    initialised_ = true;
    x_hat_ = x;
    dx_hat_ = 0.0;
    t_prev_ = t_s;
    return x;
  }
  const double dt = std::fmax(t_s - t_prev_, kMinDt);
  t_prev_ = t_s;
  const double dx = (x - x_hat_) / dt;
  const double ad = OneEuroAlpha(p.d_cutoff, dt);
  dx_hat_ = ad * dx + (1.0 - ad) * dx_hat_;
  const double cutoff = p.min_cutoff + p.beta * std::fabs(dx_hat_);
  const double a = OneEuroAlpha(cutoff, dt);
  x_hat_ = a * x + (1.0 - a) * x_hat_;
  return x_hat_;
}

core::Vec2 PointFilter::Filter(core::Vec2 x, double t_s, double scale, const OneEuroParams& p) {
  if (samples_ == 0) {
    samples_ = 1;
    x_prev_ = x;
    x_hat_ = x;
    dx_hat_ = {};
    t_prev_ = t_s;
    return x;
  }
  const double dt = std::fmax(t_s - t_prev_, kMinDt);
  t_prev_ = t_s;
  const core::Vec2 dx = (1.0 / dt) * (x - x_prev_);
  x_prev_ = x;
  const double ad = OneEuroAlpha(p.d_cutoff, dt);
  dx_hat_ = ad * dx + (1.0 - ad) * dx_hat_;
  const double speed = core::Norm(dx_hat_) / (scale > 0.0 ? scale : 1.0);
  // samples_ stops counting once 1/n is below any weight the filter would use.
  if (samples_ < (1 << 20)) ++samples_;
  const double a = std::fmax(OneEuroAlpha(p.min_cutoff + p.beta * speed, dt), 1.0 / samples_);
  x_hat_ = a * x + (1.0 - a) * x_hat_;
  return x_hat_;
}

void LandmarkSmoother::Smooth(core::Face& face, double t_s, const OneEuroParams& p) {
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
    for (PointFilter& f : motion_) f.Reset();
    for (PointFilter& f : shape_) f.Reset();
  }
  const ShapeFit motion = FitMeanShape(face.points, reference_);
  if (!(motion.scale > 0.0)) return;  // all points on one spot: nothing to filter
  const core::Vec2 a = motion_[0].Filter(Apply(motion, anchors_[0]), t_s, eye, p);
  const core::Vec2 b = motion_[1].Filter(Apply(motion, anchors_[1]), t_s, eye, p);
  const ShapeFit smoothed = FitTwoPoints(anchors_[0], anchors_[1], a, b);
  OneEuroParams shape_params = p;
  shape_params.beta *= kShapeBetaScale;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    const core::Vec2 s =
        shape_[i].Filter(Unapply(motion, face.points[i]), t_s, reference_eye_, shape_params);
    face.points[i] = Apply(smoothed, s);
  }
}

}  // namespace fw::tracking
