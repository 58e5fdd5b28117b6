// A video frame and its position in the stream. Frames move between threads by value (the
// cv::Mat shares its pixels; producers hand out a new buffer per frame instead of writing one
// that was handed out: a decoder's buffer returns to its pool when the last frame using it
// goes). A frame holds BGR pixels, or planar YUV ones as decoded (then image is empty until a
// consumer that needs BGR converts it once, see EnsureBgr).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>

#include "core/result.h"
#include "core/yuv_image.h"

namespace fw::core {

struct Frame {
  cv::Mat image;             // 8-bit BGR, input pixel space; empty when only yuv is set
  YuvImage yuv;              // I420 as decoded; empty for BGR sources
  int64_t index = -1;        // 0-based position in the stream
  double timestamp_s = 0.0;  // stream time (file) or capture time (camera), seconds
  int64_t capture_ns = 0;    // steady-clock time the frame was read, for latency

  bool empty() const { return image.empty() && yuv.empty(); }
  cv::Size size() const { return image.empty() ? yuv.size() : image.size(); }
};

// Makes frame.image from frame.yuv when it is empty (a new buffer: frames share pixels).
inline Status EnsureBgr(Frame& frame) {
  if (!frame.image.empty() || frame.yuv.empty()) return Status::Ok();
  cv::Mat bgr;
  FW_RETURN_IF_ERROR(YuvToBgr(frame.yuv, bgr));
  frame.image = bgr;
  return Status::Ok();
}

}  // namespace fw::core
