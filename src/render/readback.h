// Reads render targets back into 8-bit BGR images or 8-bit planes, synchronously. (A
// double-buffered PBO readback that returned frame N-1 while frame N was drawn measured slower on
// Mesa llvmpipe, 2.61 against 1.92 ms per 720p frame with its warp, and was removed.) Main thread
// only.
#pragma once

#include <opencv2/core.hpp>

#include "core/result.h"
#include "render/gl/texture.h"

namespace fw::render {

// Copies target into out (CV_8UC3, BGR, row y = fragment row y), waiting for the GPU.
// out is reallocated only when its size or type differs.
core::Status ReadTarget(const RenderTarget& target, cv::Mat& out);

// Copies a one-channel (R8) target into plane (CV_8UC1 of the target's size, any row stride:
// written in place, row by row), waiting for the GPU.
core::Status ReadPlane(const RenderTarget& target, cv::Mat& plane);
// Copies a two-channel (RG8) target into first (red) and second (green), CV_8UC1 planes of the
// target's size, any row stride, waiting for the GPU.
core::Status ReadInterleavedPlanes(const RenderTarget& target, cv::Mat& first, cv::Mat& second);

}  // namespace fw::render
