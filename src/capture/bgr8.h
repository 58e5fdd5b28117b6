// Normalises decoded pictures to the pipeline's pixel format: 8-bit, 3-channel BGR.
// Pure functions; thread-safe.
#pragma once

#include <opencv2/core.hpp>

namespace fw::capture {

// Grey, grey+alpha and BGRA become BGR (alpha dropped); 16-bit values are scaled by 1/257 and
// floating-point values (range [0, 1]) by 255. An 8-bit BGR input is returned as is (shared,
// not copied); any other input gives a new buffer.
cv::Mat ToBgr8(const cv::Mat& image);

}  // namespace fw::capture
