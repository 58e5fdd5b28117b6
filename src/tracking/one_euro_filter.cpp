#include "tracking/one_euro_filter.h"

#include <cmath>

namespace fw::tracking {

namespace {
constexpr double kPi = 3.14159265358979323846;
// A repeated or reversed timestamp would divide by zero; treat it as one 1 kHz tick.
constexpr double kMinDt = 1e-3;

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

}  // namespace fw::tracking
