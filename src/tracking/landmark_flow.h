// A face's 68 landmarks followed from one frame to the next by sparse optical flow (pyramidal
// Lucas-Kanade, checked forwards and backwards), and its predictor box moved with them. The
// tracker uses it to place each frame's predictor box from the face's own motion. Thread-safe
// for distinct LandmarkFlow buffers on shared, read-only pyramids.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::tracking {

// A frame's flow pyramid with its derivatives (once per frame, shared by every face).
void BuildFlowPyramid(const cv::Mat& grey, std::vector<cv::Mat>& pyramid);

// One face's flow: where each landmark came from and went, and whether its own flow followed
// it; the rest are work buffers.
struct LandmarkFlow {
  std::vector<cv::Point2f> from, to;
  std::vector<uchar> status;
  std::vector<cv::Point2f> back;
  std::vector<uchar> back_status;
  std::vector<float> err, dx, dy, ratio;
};

// Follows `face`'s landmarks from the `previous` frame's pyramid to `next`'s into `flow`, and
// moves `box` with their median motion and scale. False (box unchanged) when fewer than half
// of the points came back to within 0.04 eye distances. flow.to then holds each landmark's
// new place: its own flow where that was followed, else the face's motion.
bool FollowLandmarks(const std::vector<cv::Mat>& previous, const std::vector<cv::Mat>& next,
                     const core::Face& face, core::Rect& box, LandmarkFlow& flow);

}  // namespace fw::tracking
