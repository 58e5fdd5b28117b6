// Faces across video frames: the full detector runs only every `detect_every` frames (and
// while no face is tracked); in between, each face's landmarks come from the box its previous
// landmarks imply. Faces keep their identity by overlap, are checked with the aligned detector
// score, smoothed with the One Euro filter, and fade in and out instead of popping. One thread.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/face.h"
#include "core/params.h"
#include "tracking/face_analyzer.h"
#include "tracking/one_euro_filter.h"

namespace fw::tracking {

struct TrackerTimings {
  double detect_ms = 0.0;     // full-frame detection, 0 on frames without it
  double landmarks_ms = 0.0;  // shape predictor and verification of every tracked face
  bool detected = false;      // the detector ran on this frame
};

// Timing of the track life cycle, in seconds of stream time.
struct TrackerTiming {
  double verify_every_s = 0.15;  // a confirmed face is re-checked this often
  double hold_s = 0.2;           // a face unconfirmed for this long is lost
  double fade_in_s = 0.1;
  double fade_out_s = 0.12;
};

class FaceTracker {
 public:
  explicit FaceTracker(FaceAnalyzer& analyzer, TrackerTiming timing = {});

  // The faces to warp on `bgr` (stream time t_s, seconds, increasing): smoothed landmarks,
  // largest first, each with its fade weight in (0, 1].
  core::Faces Process(const cv::Mat& bgr, double t_s, const core::Params& params,
                      TrackerTimings* timings = nullptr);
  // Forgets every face (after a seek or a camera change).
  void Reset();

  int tracked() const { return static_cast<int>(tracks_.size()); }

 private:
  struct Track {
    int id = 0;
    core::Face raw;               // unsmoothed landmarks: where the next frame's box comes from
    core::Face smoothed;
    LandmarkSmoother smoother;
    double last_confirmed_s = 0.0;
    double last_checked_s = 0.0;
    double weight = 0.0;
    bool lost = false;
    bool fresh = false;           // raw already holds this frame's landmarks
  };

  void DetectAndMatch(double t_s, const core::Params& params);
  void FollowAndVerify(double t_s);
  void UpdateWeights(double t_s);
  bool InsideFrame(const core::Face& face) const;

  FaceAnalyzer& analyzer_;
  TrackerTiming timing_;
  std::vector<Track> tracks_;
  cv::Mat grey_;
  int next_id_ = 0;
  int frames_since_detect_ = 0;
  bool first_frame_ = true;
  double last_t_ = 0.0;
};

}  // namespace fw::tracking
