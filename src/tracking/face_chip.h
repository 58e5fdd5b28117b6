// A face's appearance as a small image: the tracker compares a followed face's chip with the
// one at its last detection to tell a face that turned, was covered or left from one in view.
#pragma once

#include <opencv2/core.hpp>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::tracking {

// Side of the chip, pixels.
inline constexpr int kChipSize = 24;

// The chip of `face` (its landmarks; `box` the box they imply) on `grey`: upright (eye line
// horizontal) and at the face's own scale, kChipSize square, zero mean and unit norm (all zero
// where the region is flat), into `out` (CV_32F). `large` and `small` are work buffers.
void FaceChip(const cv::Mat& grey, const core::Face& face, const core::Rect& box, cv::Mat& out,
              cv::Mat& large, cv::Mat& small);

}  // namespace fw::tracking
