// Landmark smoothing for video processed from a file, where a frame can wait for the frames
// after it. Each face's unsmoothed landmarks (FaceTracker with its own smoothing off) are fitted,
// point by point, with a straight line over the frames around the one being output: Gaussian
// weights in time (kWindowSigmaS), up to `ahead` frames after it. The line's value at the frame
// follows steady motion without lag, and the frames after it take away the lag a causal filter
// has where the face turns. The line's values then pass through a One Euro filter (the
// smooth_min_cutoff and smooth_beta of live smoothing), carried forward by the line's slope once
// the face moves, so that a still face is as still as live smoothing holds it. Live runs cannot
// wait and use LandmarkSmoother (tracking/landmark_smoother.h).
//
// Measured by bench/tracking_quality.cpp (BlazeFace, default parameters, 0.1 s ahead: 3 frames
// at 24-30 fps), against live smoothing: talking face noise 2.5x -> 4.4x below raw dlib's and
// lag 0.0126 -> 0.0092 eye distances; webcam 6.5x -> 15x and lag 0.0090 -> 0.0062; still-face
// jitter the same (0.0012); zoom-pan-rotate lag 0.0101 -> 0.0105.
// Pure; used from one thread.
#pragma once

#include <array>
#include <deque>
#include <map>

#include "core/face.h"
#include "tracking/one_euro_filter.h"

namespace fw::tracking {

class LookaheadSmoother {
 public:
  // The window's Gaussian weights: standard deviation in seconds (it reaches back 3 of them).
  static constexpr double kWindowSigmaS = 0.15;
  // Face speed (eye distances per second) at which the One Euro filter is carried half by the
  // line's slope: below it a face counts as still, and is held by the filter alone.
  static constexpr double kCarrySpeed = 0.03;

  // How many frames `ahead_s` seconds of a video at `fps` frames per second are (rounded up;
  // 0 for 0 s or an unknown rate).
  static int FramesAhead(double ahead_s, double fps);

  // Each frame is output once `ahead` more frames have come after it (0: at once, still fitted
  // over the frames before it).
  explicit LookaheadSmoother(int ahead) : ahead_(ahead < 0 ? 0 : ahead) {}

  // Adds the next frame's faces (stream time t_s, seconds, increasing; faces told apart by
  // their id, unsmoothed landmarks).
  void Push(const core::Faces& faces, double t_s);
  // Whether the oldest frame not output yet has the frames after it that it waits for.
  bool Ready() const { return Pending() > ahead_; }
  // Frames pushed and not output yet.
  int Pending() const { return static_cast<int>(frames_.size() - next_); }
  // The oldest frame not output yet: its faces with smoothed landmarks (and boxes moved with
  // them). At the end of a stream, call it until Pending() is 0. Requires Pending() > 0.
  core::Faces Pop(const OneEuroParams& params);
  // Forgets every frame and face (after a seek, a new source).
  void Reset();

 private:
  struct Frame {
    double t_s = 0.0;
    core::Faces faces;
  };
  // A face's One Euro state: its last output and when.
  struct Held {
    std::array<core::Vec2, core::kNumLandmarks> points{};
    double t_s = 0.0;
  };

  int ahead_ = 0;
  // The frames in the window: output ones still inside the window's reach, then pending ones.
  std::deque<Frame> frames_;
  size_t next_ = 0;  // index in frames_ of the next frame to output
  std::map<int, Held> held_;
};

}  // namespace fw::tracking
