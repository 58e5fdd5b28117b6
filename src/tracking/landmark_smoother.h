// Smoothing of a tracked face's 68 landmarks from frame to frame: its pose (position, size and
// roll) carried by the face's measured motion and pulled toward the predictor's with a One Euro
// filter, and its shape (the landmarks with the pose undone) One Euro filtered apart. Pure; one
// instance per face, used from one thread.
#pragma once

#include <array>
#include <cstdint>

#include "core/face.h"
#include "core/geometry.h"
#include "tracking/face_shape.h"
#include "tracking/one_euro_filter.h"

namespace fw::tracking {

// A face's motion from the last frame to this one as the optical flow measured it: the
// similarity x -> [a -b; b a] x + t that maps the last frame's landmarks onto where the flow
// carried them. Invalid when the flow did not follow the face on this frame.
struct FaceMotion {
  bool valid = false;
  double a = 1.0, b = 0.0;
  core::Vec2 t;

  core::Vec2 Apply(core::Vec2 p) const {
    return {a * p.x - b * p.y + t.x, b * p.x + a * p.y + t.y};
  }
};

// The least-squares similarity from from[i] to to[i] over the points with followed[i] set (all
// n when fewer than three are); invalid when the points are all on one spot.
FaceMotion FitFaceMotion(const core::Vec2* from, const core::Vec2* to, const uint8_t* followed,
                         int n);

// Filters the 68 landmarks of one tracked face. Its pose (two points of the face's own frame,
// mapped by the similarity that fits its first landmarks onto the current ones) is predicted
// from where it was by its velocity (the measured motion's, low-passed at kMotionCutoffHz, times
// kMotionCarry; without a measured motion the pose's own last steps stand in), and pulled toward
// the predictor's pose with the One Euro filter's weight for its speed. Its shape (each landmark
// with the pose undone) is One Euro filtered with the same cutoff when still and
// kShapeBetaScale times the beta. Speeds in eye distances (core::OuterEyeDistance) per second.
//
// Measured on the clips of bench/tracking_quality.cpp (BlazeFace; lag and temporal noise in eye
// distances), against the plain One Euro filter on pose and shape (beta 20, shape beta 5) that
// this replaces: talking face lag 0.0134 -> 0.0124 at the same noise (0.0025), three-face pan
// lag 0.0211 -> 0.0199 and noise 0.0061 -> 0.0056, zoom-pan-rotate lag 0.0124 -> 0.0099, webcam
// lag 0.0094 -> 0.0087 for noise 0.0007 -> 0.00075 (raw dlib's: 0.0048), still jitter 0.00124
// -> 0.00126. Carrying the full velocity makes the pose follow the flow's frame-to-frame steps
// (a webcam repeats frames, a 25 fps recording retimed to 24 skips one a second), which shows as
// noise, hence 0.6; the measured motion rather than the pose's own steps keeps a still face
// stiller (jitter 0.00126 against 0.00140). A shape beta above half the pose's costs still
// jitter. The noise left on the talking face is the head's own motion: the predictor's frame-to-
// frame change of the face's centre correlates 0.88 with the flow's, and no causal filter takes
// it out without lag.
class LandmarkSmoother {
 public:
  static constexpr double kShapeBetaScale = 0.5;
  static constexpr double kMotionCarry = 0.6;
  static constexpr double kMotionCutoffHz = 2.0;

  // Smooths face.points in place (the box is left as it is). `motion`: the face's measured
  // motion since the last call (invalid: none).
  void Smooth(core::Face& face, double t_s, const OneEuroParams& p, const FaceMotion& motion);
  void Reset() { initialised_ = false; }

 private:
  bool initialised_ = false;
  Shape reference_{};                  // the first landmarks: the shape's frame
  double reference_eye_ = 1.0;         // their eye distance
  std::array<core::Vec2, 2> anchors_;  // two points of that frame that carry the pose
  // The pose: the anchors' filtered positions, their last measured ones, the measured speed and
  // the carried velocity (pixels per second).
  std::array<core::Vec2, 2> pose_, last_, speed_, velocity_;
  int pose_samples_ = 0;
  double t_prev_ = 0.0;
  std::array<PointFilter, core::kNumLandmarks> shape_;
};

}  // namespace fw::tracking
