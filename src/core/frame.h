// A video frame and its position in the stream. Frames move between threads by value (the
// cv::Mat shares its pixels; producers allocate a new buffer per frame instead of reusing).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>

namespace fw::core {

struct Frame {
  cv::Mat image;             // 8-bit BGR, input pixel space
  int64_t index = -1;        // 0-based position in the stream
  double timestamp_s = 0.0;  // stream time (file) or capture time (camera), seconds
  int64_t capture_ns = 0;    // steady-clock time the frame was read, for latency
};

}  // namespace fw::core
