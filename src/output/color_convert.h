// Pixel-format conversions for raw-video outputs (YUV4MPEG2, virtual camera). Pure functions;
// thread-safe; no allocation when the destination is already the right size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "core/result.h"

namespace fw::output {

// Plane sizes of a packed I420 image (Y, then U, then V, no row padding). Chroma planes are
// ((w+1)/2) x ((h+1)/2), so odd sizes keep their last column and row.
struct I420Layout {
  int width = 0;
  int height = 0;
  int chroma_width = 0;
  int chroma_height = 0;

  static I420Layout For(int width, int height);
  size_t y_size() const { return static_cast<size_t>(width) * height; }
  size_t chroma_size() const { return static_cast<size_t>(chroma_width) * chroma_height; }
  size_t total_size() const { return y_size() + 2 * chroma_size(); }
};

// 8-bit BGR to I420, BT.601 limited range (Y 16..235, U/V 16..240), each chroma sample from
// the mean of its 2x2 block. Writes into caller-owned planes (strides in bytes).
core::Status BgrToI420(const cv::Mat& bgr, uint8_t* y, int y_stride, uint8_t* u, int u_stride,
                       uint8_t* v, int v_stride);

// The same into a packed buffer, resized to I420Layout::For(cols, rows).total_size().
core::Status BgrToI420(const cv::Mat& bgr, std::vector<uint8_t>& i420);

// 8-bit BGR to packed YUYV 4:2:2 (V4L2_PIX_FMT_YUYV, libyuv's YUY2: bytes Y0 U Y1 V), BT.601
// limited range as above; each U/V pair from the mean of its two horizontal pixels. The width
// must be even. `yuyv_stride` is in bytes, at least 2 * cols.
core::Status BgrToYuyv(const cv::Mat& bgr, uint8_t* yuyv, int yuyv_stride);

// The same into a packed buffer, resized to cols * rows * 2 bytes.
core::Status BgrToYuyv(const cv::Mat& bgr, std::vector<uint8_t>& yuyv);

}  // namespace fw::output
