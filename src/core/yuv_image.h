// Planar 8-bit YUV 4:2:0 pictures (I420): Y at full resolution, U and V at
// ((w+1)/2) x ((h+1)/2), BT.601 limited range (Y 16..235), the layout decoders give and the
// y4m and video outputs take. Each plane is a cv::Mat, possibly a view into memory that an
// `owner` keeps alive (a decoder's frame buffer), so a decoded picture travels without a copy.
// Nobody writes a YuvImage's planes once it has been handed on. Conversions are pure functions;
// thread-safe; no allocation when the destination already has the right size.
#pragma once

#include <memory>
#include <opencv2/core.hpp>

#include "core/result.h"

namespace fw::core {

struct YuvImage {
  cv::Mat y;  // CV_8UC1, width x height
  cv::Mat u;  // CV_8UC1, (width+1)/2 x (height+1)/2
  cv::Mat v;
  std::shared_ptr<const void> owner;  // keeps the planes' memory alive when they are views

  bool empty() const { return y.empty(); }
  int width() const { return y.cols; }
  int height() const { return y.rows; }
  cv::Size size() const { return y.size(); }
  // Planes of this size in memory of their own (kept when already so), owner released. Rows
  // are padded (libswscale writes a little past a row's end), so the planes are views.
  void Create(int width, int height);
};

cv::Size ChromaSize(cv::Size luma);

enum class ChromaFilter {
  // libswscale's conversion as OpenCV's FFmpeg capture uses it: at even heights each chroma
  // sample is shared by its 2x2 block
  kNearest,
  kBilinear,  // chroma interpolated between samples (what a GPU player shows)
};

// BT.601 limited range. bgr is reallocated to CV_8UC3 of yuv's size, as a view with spare
// pixels after each row (libswscale writes a little past a row's end), unless it is one.
Status YuvToBgr(const YuvImage& yuv, cv::Mat& bgr, ChromaFilter filter = ChromaFilter::kNearest);
// yuv scaled to `size` (each plane area-averaged, libyuv's box filter) into `out`, for a
// consumer that looks at a smaller picture (the face detector). out is (re)created.
Status ScaleYuv(const YuvImage& yuv, cv::Size size, YuvImage& out);
// 8-bit BGR to I420; each chroma sample from the mean of its 2x2 block. yuv is (re)created.
Status BgrToYuv(const cv::Mat& bgr, YuvImage& yuv);
// The grey image the tracker uses (the mean of B, G and R, the grey dlib's models were trained
// on) straight from the planes: 1.164 (Y - 16) + 0.261 (V - 128) + 0.542 (U - 128), each
// chroma sample shared by its 2x2 block. Within a level or two of averaging YuvToBgr's result.
// grey is (re)allocated to CV_8UC1 of yuv's size.
void YuvToGrey(const YuvImage& yuv, cv::Mat& grey);

}  // namespace fw::core
