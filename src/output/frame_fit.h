// Fitting a picture into a fixed output size with its aspect ratio kept: letterbox (the whole
// picture, black bars) or crop (fills the output, the overflow cut evenly). Pure; thread-safe.
#pragma once

#include <opencv2/core.hpp>

namespace fw::output {

enum class FitMode { kLetterbox, kCrop };

// `source` (a rectangle of the input, in input pixels) is scaled onto `target` (a rectangle of
// the output, in output pixels); the output outside `target` is border.
struct FitPlan {
  cv::Rect source;
  cv::Rect target;
};

// For an even output size the target's offset and size are even, so that no 4:2:x chroma
// sample mixes picture and border. Both sizes must be at least 1x1.
FitPlan PlanFit(cv::Size input, cv::Size output, FitMode mode);

// Draws `input` (8-bit BGR) into `canvas` at `output` size as PlanFit says, the border black
// (BGR 0, which is Y 16 and U = V = 128 in limited-range YUV). Allocates only when `canvas`
// does not already have that size and type.
void FitInto(const cv::Mat& input, cv::Size output, FitMode mode, cv::Mat& canvas);

}  // namespace fw::output
