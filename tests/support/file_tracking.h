// Faces on a sequence of frames as a headless run of a file gets them (app::Pipeline): the
// tracker's, smoothed with the frames ahead that params.smooth_ahead asks for at `fps`
// (tracking::LookaheadSmoother), or by the tracker itself when it asks for none (`live`, or 0 s).
// Shared by the tracking tests and the tracking benchmark (bench/tracking_quality.cpp). Calling
// thread only.
#pragma once

#include <utility>
#include <vector>

#include "core/face.h"
#include "core/params.h"
#include "tracking/face_analyzer.h"
#include "tracking/face_tracker.h"
#include "tracking/lookahead_smoother.h"

namespace fw::testing_support {

// `frames`: cv::Mat (BGR) or core::YuvImage; `times`: each frame's stream time, seconds.
template <class Image>
std::vector<core::Faces> TrackFrames(tracking::FaceAnalyzer& analyzer,
                                     const std::vector<Image>& frames,
                                     const std::vector<double>& times, const core::Params& params,
                                     double fps, bool live = false) {
  tracking::FaceTracker tracker(analyzer);
  const int ahead = live ? 0 : tracking::LookaheadSmoother::FramesAhead(params.smooth_ahead, fps);
  tracker.SetSmoothing(ahead == 0);
  tracking::LookaheadSmoother smoother(ahead);
  const tracking::OneEuroParams smoothing{params.smooth_min_cutoff, params.smooth_beta, 1.0};
  std::vector<core::Faces> out;
  out.reserve(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    core::Faces faces = tracker.Process(frames[i], times[i], params);
    if (ahead == 0) {
      out.push_back(std::move(faces));
      continue;
    }
    smoother.Push(faces, times[i]);
    while (smoother.Ready()) out.push_back(smoother.Pop(smoothing));
  }
  while (smoother.Pending() > 0) out.push_back(smoother.Pop(smoothing));
  return out;
}

// Times i / fps for n frames.
inline std::vector<double> FrameTimes(size_t n, double fps) {
  std::vector<double> times(n);
  for (size_t i = 0; i < n; ++i) times[i] = static_cast<double>(i) / fps;
  return times;
}

}  // namespace fw::testing_support
