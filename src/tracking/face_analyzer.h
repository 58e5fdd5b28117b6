// Faces on one image: dlib's HOG frontal detector on a downscaled grey image, then the
// 68-point shape predictor on every face. The only module that includes dlib (in .cpp files).
// An instance is used from one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/face.h"
#include "core/params.h"
#include "core/result.h"

namespace fw::tracking {

// The 68-point model file, in lookup order: --model, $FACEWARP_MODEL,
// models/shape_predictor_68_face_landmarks.dat (source tree and beside the binary),
// /usr/share/dlib/shape_predictor_68_face_landmarks.dat (Debian package libdlib-data).
struct ModelLocation {
  std::string path;
  std::vector<std::string> tried;
};
core::Result<ModelLocation> LocateModel(const std::string& cli_model);

class FaceAnalyzer {
 public:
  // Loads the shape predictor; a missing, truncated or corrupt model is one error naming every
  // path tried and the package libdlib-data.
  static core::Result<std::unique_ptr<FaceAnalyzer>> Create(const std::string& cli_model);
  virtual ~FaceAnalyzer() = default;

  // Detection (on a grey copy downscaled to params.detect_width, upsampled params.upsample
  // times) + landmarks for every plausible face, largest first, in bgr's pixel space.
  virtual core::Faces Detect(const cv::Mat& bgr, const core::Params& params) = 0;
  // The 68 landmarks in `box` (input pixels) on the image, as dlib's predictor gives them.
  virtual core::Face Landmarks(const cv::Mat& bgr, const core::Rect& box) = 0;
};

}  // namespace fw::tracking
