// Faces on one image: dlib's HOG frontal detector on a downscaled grey image, then the
// 68-point shape predictor on every face. The only module that includes dlib (in .cpp files).
// An instance is used from one thread (Clone gives another thread its own); ToGrey and
// LocateModel are thread-safe.
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/face.h"
#include "core/params.h"
#include "core/result.h"
#include "tracking/blazeface.h"

namespace fw::tracking {

// The 68-point model file, in lookup order: --model, $FACEWARP_MODEL,
// models/shape_predictor_68_face_landmarks.dat (source tree and beside the binary),
// /usr/share/dlib/shape_predictor_68_face_landmarks.dat (Debian package libdlib-data).
// A --model or $FACEWARP_MODEL that names a missing file is an error: the user asked for
// that file, and silently using another model would hide the typo.
struct ModelLocation {
  std::string path;
  std::vector<std::string> tried;  // every path looked at, in order, `path` last
};
core::Result<ModelLocation> LocateModel(const std::string& cli_model);

// The default locations (after --model and $FACEWARP_MODEL), in lookup order.
std::vector<std::string> DefaultModelPaths();

// BlazeFace's full-range model (scripts/setup installs it), in lookup order: --detector-model,
// $FACEWARP_DETECTOR_MODEL, models/face_detection_back_256x256_barracuda.onnx in the source
// tree, beside the binary and in <binary>/../share/facewarp/models. An explicit choice is
// returned as given (loading it reports what is wrong); otherwise `path` is empty when no
// default exists, and the HOG detector stands in.
inline constexpr char kDetectorModelFile[] = "face_detection_back_256x256_barracuda.onnx";
struct DetectorModelLocation {
  std::string path;
  bool explicit_choice = false;
  std::vector<std::string> tried;
};
core::Result<DetectorModelLocation> LocateDetectorModel(const std::string& cli_model);
std::vector<std::string> DefaultDetectorModelPaths();
std::string JoinPaths(const std::vector<std::string>& paths);

// dlib's colour-to-grey rule, (B + G + R) / 3 rounded down (dlib's assign_pixel, not
// OpenCV's weighted luma): the intensities dlib's predictor reads from a colour image.
// bgr: CV_8UC3 (BGR) or CV_8UC4 (BGRA); grey becomes CV_8UC1 of the same size.
void ToGrey(const cv::Mat& bgr, cv::Mat& grey);

// A detection is a face when FaceAnalyzer::AlignedScore reaches this: between the badges
// (at most 0.15 in the still images, 0.30 once in video) and the real faces (at least 0.45)
// measured in face_analyzer.cpp.
inline constexpr double kMinAlignedScore = 0.35;

// One detector hit with the evidence the plausibility rule weighs.
struct Detection {
  core::Face face;
  // HOG: the detector's score (dlib reports faces above 0); BlazeFace: its confidence in [0, 1].
  double score = 0.0;
  double aligned_score = 0.0;  // HOG only: FaceAnalyzer::AlignedScore of the face
  bool plausible = false;      // HOG: aligned_score >= kMinAlignedScore; BlazeFace: always
  bool cnn = false;            // found by BlazeFace: keypoints hold its six keypoints
  std::array<core::Vec2, 6> keypoints{};
};

class FaceAnalyzer {
 public:
  // Loads the shape predictor; a missing, truncated or corrupt model is one error naming every
  // path tried and the package libdlib-data. Then BlazeFace (LocateDetectorModel): a bad
  // explicit detector model is one error naming the paths tried; when no default one exists
  // the HOG detector stands in and detector_notice() says so in one line.
  static core::Result<std::unique_ptr<FaceAnalyzer>> Create(
      const std::string& cli_model, const std::string& cli_detector_model = "");
  // Empty, or the one line to show the user about the detector (the HOG fallback).
  virtual const std::string& detector_notice() const = 0;
  // BlazeFace is loaded (params.detector 0 uses it).
  virtual bool has_cnn_detector() const = 0;
  virtual ~FaceAnalyzer() = default;

  // An analyzer for another thread: it shares this one's model (immutable once loaded) and
  // has a detector and work buffers of its own, so the two run side by side without sharing
  // mutable state. Costs the detector's set-up (milliseconds), not the model's load.
  virtual std::unique_ptr<FaceAnalyzer> Clone() const = 0;

  // `image` is CV_8UC3 BGR, CV_8UC4 BGRA, or CV_8UC1 grey made by ToGrey (so that a caller
  // running several steps on one frame converts it once). Coordinates are image pixels.

  // Detection + landmarks for every plausible face, largest first. params.detector 0 (and
  // BlazeFace loaded): BlazeFace on the colour image downscaled to params.detect_width, the
  // predictor on PredictorBox of each detection (a grey `image` is detected as grey). Else
  // dlib's HOG on a grey copy downscaled to params.detect_width, with the aligned re-score.
  virtual core::Faces Detect(const cv::Mat& image, const core::Params& params) = 0;
  // Detect on a video frame whose faces are being followed: BlazeFace's small-face tiles look
  // only where `hint` says (DetectHint), and its faces come with their predictor boxes only
  // (points zero: the tracker runs the predictor itself); the HOG detector ignores the hint.
  virtual core::Faces DetectFollowing(const cv::Mat& image, const core::Params& params,
                                      const DetectHint& hint) {
    static_cast<void>(hint);
    return Detect(image, params);
  }
  // The small-face tiles DetectFollowing numbers in DetectHint::tiles, for a frame of `size`
  // (frame pixels); none for the HOG detector (it always looks at the whole frame).
  virtual std::vector<core::Rect> DetectionTiles(cv::Size size, const core::Params& params) const {
    static_cast<void>(size);
    static_cast<void>(params);
    return {};
  }
  // Every detection, rejected ones included, largest first: for diagnostics and tests.
  virtual std::vector<Detection> DetectAll(const cv::Mat& image, const core::Params& params) = 0;
  // The 68 landmarks in `box` (input pixels; rounded to whole pixels) on the image, as dlib's
  // predictor gives them but with sub-pixel precision.
  virtual core::Face Landmarks(const cv::Mat& image, const core::Rect& box) = 0;
  // Landmarks on each of `n` boxes into out[0..n), as Landmarks gives them; cheaper than one
  // call per box when the boxes lie on one face.
  virtual void LandmarksMany(const cv::Mat& image, const core::Rect* boxes, int n,
                             core::Face* out) {
    for (int i = 0; i < n; ++i) out[i] = Landmarks(image, boxes[i]);
  }
  // The HOG detector's score for the face cut out upright and at its own scale by its
  // landmarks: high on faces (even tilted ones the detector scored near 0), low on face-like
  // patterns whose landmarks are a guess. For checking detections and tracked faces; costs
  // four small detector runs (a few ms).
  virtual double AlignedScore(const cv::Mat& image, const core::Face& face) = 0;
  // The detector-like box that a face's landmarks imply: feeding it to Landmarks on the next
  // frame tracks the face without running the detector.
  virtual core::Rect BoxFromLandmarks(const core::Face& face) const = 0;
};

}  // namespace fw::tracking
