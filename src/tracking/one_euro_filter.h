// The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
// with speed, so still landmarks stop jittering while fast motion keeps little lag. Pure;
// one instance per signal, used from one thread.
#pragma once

#include <array>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::tracking {

struct OneEuroParams {
  double min_cutoff = 1.0;  // Hz: cutoff when still
  double beta = 0.0;        // cutoff increase per unit of speed (units/s)
  double d_cutoff = 1.0;    // Hz: cutoff of the speed estimate
};

// Smoothing factor of an exponential low-pass filter with the given cutoff for a sample
// interval dt (seconds): 1 / (1 + tau / dt), tau = 1 / (2 pi cutoff).
double OneEuroAlpha(double cutoff_hz, double dt_s);

// Filters a scalar signal.
class OneEuroFilter {
 public:
  // Returns the filtered value of x sampled at time t_s (seconds, increasing).
  double Filter(double x, double t_s, const OneEuroParams& p);
  void Reset() { initialised_ = false; }

 private:
  bool initialised_ = false;
  double x_hat_ = 0.0;
  double dx_hat_ = 0.0;
  double t_prev_ = 0.0;
};

// Filters a 2-D point with one cutoff for both axes, driven by the point's speed. The speed is
// divided by `scale` (e.g. the face's eye distance) so beta means the same for near and far
// faces.
class PointFilter {
 public:
  core::Vec2 Filter(core::Vec2 x, double t_s, double scale, const OneEuroParams& p);
  void Reset() { initialised_ = false; }

 private:
  bool initialised_ = false;
  core::Vec2 x_hat_;
  core::Vec2 dx_hat_;
  double t_prev_ = 0.0;
};

// Smooths all 68 landmarks of one tracked face.
class LandmarkSmoother {
 public:
  // Smooths face.points in place (the box is left as it is).
  void Smooth(core::Face& face, double t_s, const OneEuroParams& p);
  void Reset();

 private:
  std::array<PointFilter, core::kNumLandmarks> filters_;
};

}  // namespace fw::tracking
