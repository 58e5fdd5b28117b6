// Faces across video frames: the full detector runs only every `detect_every` frames (and
// while no face is tracked); in between, each face's landmarks come from the box its previous
// landmarks imply. A new face is warped only once the detector finds it again at its next
// run; a tracked face is compared with its own appearance on every frame (microseconds) and
// re-checked with the aligned detector score only when that changes, when a detection misses
// it, or every verify_every_s. Landmarks are smoothed with the One Euro filter; faces fade in and
// out instead of popping. Process, Reset and tracked() are called from one thread; with
// asynchronous detection the tracker owns a detector thread (see DetectionMode).
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <utility>
#include <vector>

#include "core/face.h"
#include "core/latest_mailbox.h"
#include "core/params.h"
#include "core/worker.h"
#include "tracking/face_analyzer.h"
#include "tracking/one_euro_filter.h"

namespace fw::tracking {

struct TrackerTimings {
  // Full-frame detection, 0 on frames without it; asynchronous: the detector thread's time for
  // the detection whose result this frame took.
  double detect_ms = 0.0;
  double landmarks_ms = 0.0;  // shape predictor, checks and smoothing of every tracked face
  bool detected = false;      // a detection's result was matched to the tracks on this frame
  bool requested = false;     // this frame was handed to the detector thread (asynchronous)
  int verified = 0;           // faces checked with FaceAnalyzer::AlignedScore on this frame
};

// Timing of the track life cycle, in seconds of stream time.
struct TrackerTiming {
  // A face that no detection has confirmed for this long is re-checked with AlignedScore
  // (with the default detect_every, detections confirm it more often than this).
  double verify_every_s = 0.5;
  // A face whose checks keep failing for this long is lost (then fades out): long enough to
  // ride out a blurred or turned frame, short enough that a face that left loses its warp
  // within hold_s + fade_out_s (about a third of a second).
  double hold_s = 0.2;
  double fade_in_s = 0.1;
  double fade_out_s = 0.12;
};

enum class DetectionMode {
  // Detection runs inside Process on the frames it is due: every frame's result depends only
  // on the frames before it (files processed headless, tests).
  kSynchronous,
  // The first frame (after construction or Reset) is detected inside Process; later detections
  // run on a detector thread on a copy of the frame they are due on, and their result is
  // matched to the tracks on the first frame processed after it is ready: Process never waits
  // for the detector (live runs). New faces get their landmarks from the frame that takes the
  // result.
  kAsynchronous,
};

class FaceTracker {
 public:
  // Asynchronous: the tracker clones `analyzer` for its detector thread (see
  // FaceAnalyzer::Clone); `analyzer` itself is used on the calling thread only.
  explicit FaceTracker(FaceAnalyzer& analyzer, TrackerTiming timing = {},
                       DetectionMode mode = DetectionMode::kSynchronous);
  ~FaceTracker();
  FaceTracker(const FaceTracker&) = delete;
  FaceTracker& operator=(const FaceTracker&) = delete;

  // The faces to warp on `bgr` (CV_8UC3 BGR or CV_8UC4 BGRA; stream time t_s, seconds,
  // increasing): smoothed landmarks in bgr's pixel space, largest first, each with its fade
  // weight in (0, 1]. Faces found on the first frame (after construction or Reset) are warped
  // at once, so that a still image is warped; later ones need a second detection. An empty
  // image gives no faces and changes nothing.
  core::Faces Process(const cv::Mat& bgr, double t_s, const core::Params& params,
                      TrackerTimings* timings = nullptr);
  // Forgets every face (after a seek or a camera change); a detection under way is ignored.
  void Reset();

  // Faces being followed, candidates and fading ones included.
  int tracked() const { return static_cast<int>(tracks_.size()); }

 private:
  enum class State {
    kCandidate,  // detected once; warped only if the next detection finds it again
    kActive,     // confirmed; warped
    kLost,       // fading out; landmarks frozen
  };

  struct Track {
    int id = 0;
    State state = State::kCandidate;
    core::Face raw;  // unsmoothed landmarks: where the next frame's box comes from
    core::Face smoothed;
    LandmarkSmoother smoother;
    cv::Mat appearance;  // upright chip of the face at its last confirmation, zero mean, unit norm
    double last_confirmed_s = 0.0;
    double doubt_since_s = -1.0;  // time of the first failed check since the last pass; < 0: none
    double weight = 0.0;
    bool fresh = false;    // raw already holds this frame's landmarks (from the detector)
    bool matched = false;  // a detection on this frame confirmed it
  };

  // A frame handed to the detector thread, with the tracks' boxes on it to match against.
  struct DetectRequest {
    cv::Mat grey;
    core::Params params;
    std::vector<std::pair<int, core::Rect>> boxes;  // track id, box
    uint64_t generation = 0;
  };
  struct DetectResult {
    core::Faces found;
    std::vector<std::pair<int, core::Rect>> boxes;
    uint64_t generation = 0;
    double ms = 0.0;
  };

  // Matches `found` to the tracks and starts tracks for the rest. `boxes`: the tracks' boxes on
  // the detected frame (empty: the boxes their last landmarks imply); `refit`: the detections are
  // from an earlier frame, so new faces take their landmarks from this one.
  void Match(core::Faces found, const std::vector<std::pair<int, core::Rect>>& boxes, double t_s,
             bool refit);
  // Hands grey_ (made complete) to the detector thread.
  void Request(const core::Params& params);
  // Detection is due: no face followed, a candidate waiting, or detect_every frames passed.
  bool DetectionDue(const core::Params& params) const;
  void DetectLoop(const std::atomic<bool>& stop);
  void Follow(Track& track);
  void Verify(Track& track, double t_s, bool detected, TrackerTimings& timings);
  void Confirm(Track& track, double t_s);
  void RemoveDuplicates();
  void UpdateWeights(double t_s);
  bool InsideFrame(const core::Face& face) const;
  // grey_ holds this frame's intensities everywhere, or at least around `face`.
  void PrepareGrey();
  void PrepareGrey(const core::Face& face);
  // The face's upright chip, zero mean and unit norm (all zero where the region is flat).
  void Chip(const core::Face& face, cv::Mat& out);

  FaceAnalyzer& analyzer_;
  TrackerTiming timing_;
  std::vector<Track> tracks_;
  cv::Mat bgr_;  // the frame being processed
  cv::Mat grey_;
  bool grey_complete_ = false;
  cv::Mat chip_large_;  // work buffers of Chip
  cv::Mat chip_;
  cv::Mat chip_float_;
  int next_id_ = 0;
  int frames_since_detect_ = 0;
  bool first_frame_ = true;
  double last_t_ = 0.0;

  // Asynchronous detection. The detector thread uses detector_ only; pending_ and generation_
  // belong to the calling thread. Declared last: the worker stops before the rest goes.
  std::unique_ptr<FaceAnalyzer> detector_;
  bool pending_ = false;     // a request of this generation awaits its result
  uint64_t generation_ = 0;  // counts Resets: results of earlier generations are dropped
  core::LatestMailbox<DetectRequest> requests_;
  core::LatestMailbox<DetectResult> results_;
  std::unique_ptr<core::Worker> worker_;
};

}  // namespace fw::tracking
