// The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
// with speed, so still landmarks stop jittering while fast motion keeps little lag (the landmark
// smoother built on it is tracking/landmark_smoother.h). Pure; one instance per signal, used from
// one thread.
#pragma once

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
// faces. Two choices made for landmarks, whose cutoff when still is a small fraction of a
// hertz: the speed comes from successive raw samples, as in the authors' reference code (the
// difference from the filtered value keeps the full noise of every sample, which would raise
// the cutoff of a still point); and the first samples are averaged with equal weights (weight
// 1/n until the filter's own weight is larger), so the first sample's noise does not linger
// for seconds.
class PointFilter {
 public:
  core::Vec2 Filter(core::Vec2 x, double t_s, double scale, const OneEuroParams& p);
  void Reset() { samples_ = 0; }

 private:
  int samples_ = 0;
  core::Vec2 x_prev_;
  core::Vec2 x_hat_;
  core::Vec2 dx_hat_;
  double t_prev_ = 0.0;
};

}  // namespace fw::tracking
