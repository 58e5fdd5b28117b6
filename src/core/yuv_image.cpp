#include "core/yuv_image.h"

#include <libyuv.h>

extern "C" {
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace fw::core {

namespace {

struct SwsFreer {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};

// libswscale's conversion with the arguments OpenCV's FFmpeg capture passes, so that a frame
// shows what OpenCV showed before to the level. One cached context per thread.
// libswscale's SIMD code writes whole blocks of pixels, up to 16 past a row's end: every
// buffer it writes into gets this many spare pixels after each row (the last one included).
constexpr int kSparePixels = 32;

int PaddedCols(int cols) { return (cols + kSparePixels + 63) / 64 * 64; }

// m as a rows x cols view of `type` into rows of PaddedCols(cols) pixels. Kept only when it
// is such a view already and the only user of its memory: a caller's view into a larger image,
// or pixels a frame still shares, are never written.
void CreatePadded(cv::Mat& m, int rows, int cols, int type) {
  const size_t step = static_cast<size_t>(PaddedCols(cols)) * CV_ELEM_SIZE(type);
  if (m.rows == rows && m.cols == cols && m.type() == type && m.step[0] == step && m.u != nullptr &&
      m.u->refcount == 1 && m.data == m.datastart &&
      static_cast<size_t>(m.datalimit - m.datastart) == step * static_cast<size_t>(rows)) {
    return;
  }
  cv::Mat store(rows, PaddedCols(cols), type);
  m = store(cv::Rect(0, 0, cols, rows));
}

bool SwsToBgr(const YuvImage& yuv, cv::Mat& bgr) {
  thread_local std::unique_ptr<SwsContext, SwsFreer> context;
  context.reset(sws_getCachedContext(context.release(), yuv.width(), yuv.height(),
                                     AV_PIX_FMT_YUV420P, yuv.width(), yuv.height(),
                                     AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!context) return false;
  const uint8_t* const src[4] = {yuv.y.data, yuv.u.data, yuv.v.data, nullptr};
  const int src_stride[4] = {static_cast<int>(yuv.y.step[0]), static_cast<int>(yuv.u.step[0]),
                             static_cast<int>(yuv.v.step[0]), 0};
  uint8_t* const dst[4] = {bgr.data, nullptr, nullptr, nullptr};
  const int dst_stride[4] = {static_cast<int>(bgr.step[0]), 0, 0, 0};
  return sws_scale(context.get(), src, src_stride, 0, yuv.height(), dst, dst_stride) > 0;
}

}  // namespace

cv::Size ChromaSize(cv::Size luma) { return {(luma.width + 1) / 2, (luma.height + 1) / 2}; }

void YuvImage::Create(int width, int height) {
  const cv::Size c = ChromaSize({width, height});
  if (owner) *this = YuvImage();
  CreatePadded(y, height, width, CV_8UC1);
  CreatePadded(u, c.height, c.width, CV_8UC1);
  CreatePadded(v, c.height, c.width, CV_8UC1);
}

Status YuvToBgr(const YuvImage& yuv, cv::Mat& bgr, ChromaFilter filter) {
  if (yuv.empty() || yuv.u.size() != ChromaSize(yuv.size()) || yuv.v.size() != yuv.u.size()) {
    return Error::Runtime("internal: YuvToBgr needs I420 planes");
  }
  CreatePadded(bgr, yuv.height(), yuv.width(), CV_8UC3);
  // libyuv's "RGB24" is B, G, R in memory: OpenCV's BGR byte order.
  const int y_stride = static_cast<int>(yuv.y.step[0]);
  const int u_stride = static_cast<int>(yuv.u.step[0]);
  const int v_stride = static_cast<int>(yuv.v.step[0]);
  const int bgr_stride = static_cast<int>(bgr.step[0]);
  if (filter == ChromaFilter::kNearest) {
    if (!SwsToBgr(yuv, bgr)) return Error::Runtime("internal: libswscale I420 to BGR failed");
    return Status::Ok();
  }
  const int rc = libyuv::I420ToRGB24MatrixFilter(
      yuv.y.data, y_stride, yuv.u.data, u_stride, yuv.v.data, v_stride, bgr.data, bgr_stride,
      &libyuv::kYuvI601Constants, bgr.cols, bgr.rows, libyuv::kFilterBilinear);
  if (rc != 0) return Error::Runtime("internal: libyuv I420ToRGB24MatrixFilter failed");
  return Status::Ok();
}

Status ScaleYuv(const YuvImage& yuv, cv::Size size, YuvImage& out) {
  if (yuv.empty() || size.width < 1 || size.height < 1) {
    return Error::Runtime("internal: ScaleYuv needs planes and a size");
  }
  out.Create(size.width, size.height);
  const int rc = libyuv::I420Scale(
      yuv.y.data, static_cast<int>(yuv.y.step[0]), yuv.u.data, static_cast<int>(yuv.u.step[0]),
      yuv.v.data, static_cast<int>(yuv.v.step[0]), yuv.width(), yuv.height(), out.y.data,
      static_cast<int>(out.y.step[0]), out.u.data, static_cast<int>(out.u.step[0]), out.v.data,
      static_cast<int>(out.v.step[0]), size.width, size.height, libyuv::kFilterBox);
  if (rc != 0) return Error::Runtime("internal: libyuv I420Scale failed");
  return Status::Ok();
}

Status BgrToYuv(const cv::Mat& bgr, YuvImage& yuv) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return Error::Runtime("internal: BgrToYuv needs a non-empty 8-bit BGR image");
  }
  yuv.Create(bgr.cols, bgr.rows);
  const int rc = libyuv::RGB24ToI420(bgr.data, static_cast<int>(bgr.step[0]), yuv.y.data,
                                     static_cast<int>(yuv.y.step[0]), yuv.u.data,
                                     static_cast<int>(yuv.u.step[0]), yuv.v.data,
                                     static_cast<int>(yuv.v.step[0]), bgr.cols, bgr.rows);
  if (rc != 0) return Error::Runtime("internal: libyuv RGB24ToI420 failed");
  return Status::Ok();
}

void YuvToGrey(const YuvImage& yuv, cv::Mat& grey) {
  // Fixed point, 10 fractional bits: 1.164 * 1024 = 1192, 0.261 * 1024 = 267, 0.542 * 1024 = 555.
  // The conversion to BGR truncates each channel and the mean truncates again, which leaves
  // that grey about 1.5 levels below the exact value (measured on the bundled clips): the
  // same offset here keeps the tracker's input where it was.
  static const std::array<int32_t, 256> luma = [] {
    std::array<int32_t, 256> t{};
    for (int i = 0; i < 256; ++i) t[i] = 1192 * (i - 16) - 992;
    return t;
  }();
  grey.create(yuv.size(), CV_8UC1);
  const int cols = yuv.width();
  thread_local std::vector<int32_t> chroma;  // the chroma term of one row pair, per pixel
  chroma.resize(static_cast<size_t>(cols));
  int32_t* __restrict c = chroma.data();
  for (int y = 0; y < yuv.height(); ++y) {
    if ((y & 1) == 0) {
      const uint8_t* u = yuv.u.ptr<uint8_t>(y / 2);
      const uint8_t* v = yuv.v.ptr<uint8_t>(y / 2);
      for (int x = 0; x < cols; ++x) c[x] = 267 * (v[x / 2] - 128) + 555 * (u[x / 2] - 128);
    }
    const uint8_t* __restrict in = yuv.y.ptr<uint8_t>(y);
    uint8_t* __restrict out = grey.ptr<uint8_t>(y);
    for (int x = 0; x < cols; ++x) {
      out[x] = static_cast<uint8_t>(std::clamp((luma[in[x]] + c[x]) >> 10, 0, 255));
    }
  }
}

}  // namespace fw::core
