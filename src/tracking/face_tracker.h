// Faces across video frames. A detection is due every `detect_every` frames (and while no
// face is followed, or a face's evidence fails); it looks only where it is needed: at the
// followed faces due to be found again (in doubt, or unmatched for a while), and where the
// picture shows something new since the detector last looked there (NoveltyMap: on a still
// camera what changed, in a pan the strip that came into view), with a slow sweep of the rest.
// With nothing to look at, no detection runs (one is due again on the next frame). In between,
// each face's predictor box moves with the face's own motion (sparse optical flow on its
// landmarks), and a matched detection re-anchors it. The predictor runs on a few slightly
// shifted copies of that box and its landmarks are averaged, which removes most of its
// frame-to-frame noise. A face found by BlazeFace is warped from the frame it is found on
// (fading in); one found by the HOG fallback waits for a second detection (HOG fires on round
// badges). A face ends only on evidence: the detector has missed it and its motion (flow) and
// appearance (an upright chip compared with the one at its last detection) have failed.
// Landmarks are smoothed (LandmarkSmoother: the pose carried by the flow's motion, pose and
// shape One Euro filtered); faces fade in and out instead of popping.
// Process, Reset and tracked() are called from one thread; the per-face work runs on OpenCV's
// pool; with asynchronous detection the tracker owns a detector thread (see DetectionMode).
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "core/face.h"
#include "core/latest_mailbox.h"
#include "core/params.h"
#include "core/worker.h"
#include "core/yuv_image.h"
#include "tracking/detection_schedule.h"
#include "tracking/face_analyzer.h"
#include "tracking/landmark_flow.h"
#include "tracking/landmark_smoother.h"

namespace fw::tracking {

struct TrackerTimings {
  // Full-frame detection, 0 on frames without it; asynchronous: the detector thread's time for
  // the detection whose result this frame took.
  double detect_ms = 0.0;
  double landmarks_ms = 0.0;  // flow, shape predictor, checks and smoothing of every face
  bool detected = false;      // a detection's result was matched to the tracks on this frame
  bool requested = false;     // this frame was handed to the detector thread (asynchronous)
  int doubtful = 0;           // faces whose motion and appearance evidence failed this frame
};

// Timing of the track life cycle, in seconds of stream time.
struct TrackerTiming {
  // A face whose motion and appearance evidence both fail for this long, and that a detection
  // run since has missed, is lost (then fades out): a face that left loses its warp within
  // hold_s + fade_out_s plus one detection.
  double hold_s = 0.12;
  // A face the detector has missed for this long is lost once its appearance has changed,
  // whatever its motion evidence: a face in view is held through at least this much.
  double miss_limit_s = 1.5;
  double fade_in_s = 0.2;
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
  // The same on a decoded frame's I420 planes: the grey image of the flow and the predictor
  // comes straight from the planes (core::YuvToGrey); BGR is made only for a detection.
  core::Faces Process(const core::YuvImage& yuv, double t_s, const core::Params& params,
                      TrackerTimings* timings = nullptr);
  // Forgets every face (after a seek or a camera change); a detection under way is ignored.
  void Reset();

  // Asynchronous: blocks until the detection under way, if any, has its result, which the next
  // Process then takes. For callers that need every result on a known frame (tests, files);
  // live runs never call it.
  void WaitForDetection();

  // Off: Process returns each face's unsmoothed landmarks, for a caller that smooths them with
  // frames ahead (LookaheadSmoother). On by default.
  void SetSmoothing(bool on) { smoothing_ = on; }

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
    core::Rect box;  // the predictor's box on this frame: moved by flow, re-anchored by detections
    core::Face raw;  // unsmoothed landmarks
    core::Face smoothed;
    LandmarkSmoother smoother;
    cv::Mat appearance;  // upright chip of the face at its last detection, zero mean, unit norm
    double last_matched_s = 0.0;
    double doubt_since_s = -1.0;   // since when motion and appearance failed; < 0: they hold
    bool missed_in_doubt = false;  // a detection missed it since doubt_since_s
    double weight = 0.0;
    bool fresh = false;    // raw already holds this frame's landmarks (new from the detector)
    bool matched = false;  // a detection on this frame found it
    bool flow_ok = false;  // this frame's flow followed most of its points
    bool appearance_ok = true;
    // Work buffers of the per-face steps (which run side by side, one face each).
    LandmarkFlow flow;
    cv::Mat chip, chip_large, chip_small;
  };

  // A frame handed to the detector thread, with the tracks' boxes on it to match against.
  struct DetectRequest {
    cv::Mat bgr;
    core::Params params;
    std::vector<std::pair<int, core::Rect>> boxes;  // track id, box
    DetectHint hint;
    uint64_t generation = 0;
    // bgr is the frame scaled by this (hint's faces too); the results are scaled back.
    double scale = 1.0;
  };
  struct DetectResult {
    core::Faces found;
    std::vector<std::pair<int, core::Rect>> boxes;
    uint64_t generation = 0;
    double ms = 0.0;
  };

  // Matches `found` to the tracks and starts tracks for the rest. `boxes`: the tracks' boxes on
  // the detected frame (empty: their boxes now); `refit`: the detections are from an earlier
  // frame, so matched boxes are not re-anchored and new faces take this frame's landmarks.
  // Process once grey_ (and bgr_ or yuv_) hold the frame.
  core::Faces ProcessGrey(double t_s, const core::Params& params, TrackerTimings* timings);
  // The frame in BGR: bgr_, made from yuv_ on first use.
  const cv::Mat& Colour();
  void Match(core::Faces found, const std::vector<std::pair<int, core::Rect>>& boxes, double t_s,
             bool refit, bool cnn);
  // The detection of this frame as `hint` says: the frame as the detector takes it (from
  // planes, BlazeFace's: made once at its own scale), a copy of a caller's BGR frame when
  // `own_copy` (for the detector thread).
  DetectRequest Prepare(const core::Params& params, DetectHint hint, bool own_copy);
  static core::Faces RunDetection(FaceAnalyzer& analyzer, const DetectRequest& request);
  // Hands this frame to the detector thread, unless the hint has nothing to look at (false).
  bool Request(const core::Params& params, double t_s);
  bool DetectionDue(const core::Params& params) const;
  // Where the next detection looks (the faces followed that are due to be found again: in
  // doubt, or unmatched for a while; counts the detections).
  DetectHint Hint(double t_s, const core::Params& params);
  void DetectLoop(const std::atomic<bool>& stop);
  // grey_'s optical-flow pyramid with its derivatives, once per frame.
  void BuildPyramid();
  // Moves the track's box with the flow of its landmarks from the previous frame to this one.
  void Flow(Track& track) const;
  // Landmarks averaged over the predictor on shifted copies of the track's box.
  core::Face Predict(const core::Rect& box) const;
  // Landmarks and evidence of one face after its Flow (and this frame's detection, if any;
  // thread-safe for distinct tracks).
  void Follow(Track& track) const;
  void Verify(Track& track, double t_s, bool detected, TrackerTimings& timings);
  void Confirm(Track& track, double t_s);
  void RemoveDuplicates();
  void UpdateWeights(double t_s);
  bool InsideFrame(const core::Face& face) const;
  // The face's upright chip, zero mean and unit norm (all zero where the region is flat).
  void Chip(const core::Face& face, cv::Mat& out, cv::Mat& large, cv::Mat& small) const;

  FaceAnalyzer& analyzer_;
  TrackerTiming timing_;
  std::vector<Track> tracks_;
  cv::Mat bgr_;         // the frame being processed
  core::YuvImage yuv_;  // its planes, when it came as YUV
  core::YuvImage detect_yuv_;  // yuv_ at the detector's scale
  cv::Mat grey_;
  cv::Mat prev_grey_;  // the previous frame's
  // The flow's pyramids (images and derivatives) of grey_ and of the previous frame.
  std::vector<cv::Mat> pyramid_, prev_pyramid_;
  bool pyramid_ready_ = false, prev_pyramid_ready_ = false;
  int next_id_ = 1;  // ids go on rising across Resets
  bool smoothing_ = true;
  int frames_since_detect_ = 0;
  DetectionSchedule schedule_;
  bool first_frame_ = true;
  double last_t_ = 0.0;

  // Asynchronous detection. The detector thread uses detector_ only; pending_ and generation_
  // belong to the calling thread. Declared last: the worker stops before the rest goes.
  std::unique_ptr<FaceAnalyzer> detector_;
  bool pending_ = false;     // a request of this generation awaits its result
  uint64_t generation_ = 0;  // counts Resets: results of earlier generations are dropped
  core::LatestMailbox<DetectRequest> requests_;
  core::LatestMailbox<DetectResult> results_;
  std::optional<DetectResult> waited_;  // taken by WaitForDetection, for the next Process
  std::unique_ptr<core::Worker> worker_;
};

}  // namespace fw::tracking
