// The seed's face thinning as the classic Python script does it, in plain C++: for the left
// and then the right cheek, copy the whole image and run over every pixel, resampling the
// ones inside the cheek circle with bilinear interpolation. The yardstick for the CPU backend.
// Pure; thread-compatible.
#pragma once

#include <opencv2/core.hpp>

#include "core/face.h"

namespace fw::bench {

// One sequential translation warp (centre c, target m, radius r, strength 1) of src into dst.
void SeedTranslationWarp(const cv::Mat& src, core::Vec2 c, core::Vec2 m, double r, cv::Mat& dst);

// Both cheeks of face (landmarks 3 and 13 pulled toward 30, radii |p3 - p5| and |p13 - p15|),
// one after the other; tmp holds the intermediate image.
void SeedThinFace(const cv::Mat& src, const core::Face& face, cv::Mat& tmp, cv::Mat& dst);

}  // namespace fw::bench
