#include "output/color_convert.h"

#include <string>

#include <libyuv.h>

namespace fw::output {

I420Layout I420Layout::For(int width, int height) {
  return {width, height, (width + 1) / 2, (height + 1) / 2};
}

core::Status BgrToI420(const cv::Mat& bgr, uint8_t* y, int y_stride, uint8_t* u, int u_stride,
                       uint8_t* v, int v_stride) {
  if (bgr.type() != CV_8UC3 || bgr.empty()) {
    return core::Error::Runtime("internal: BgrToI420 needs a non-empty 8-bit BGR image, got " +
                                cv::typeToString(bgr.type()));
  }
  // libyuv's "RGB24" is B, G, R in memory: OpenCV's BGR byte order.
  const int rc = libyuv::RGB24ToI420(bgr.data, static_cast<int>(bgr.step[0]), y, y_stride, u,
                                     u_stride, v, v_stride, bgr.cols, bgr.rows);
  if (rc != 0) return core::Error::Runtime("internal: libyuv RGB24ToI420 failed");
  return core::Status::Ok();
}

core::Status BgrToI420(const cv::Mat& bgr, std::vector<uint8_t>& i420) {
  const I420Layout layout = I420Layout::For(bgr.cols, bgr.rows);
  i420.resize(layout.total_size());
  uint8_t* y = i420.data();
  uint8_t* u = y + layout.y_size();
  uint8_t* v = u + layout.chroma_size();
  return BgrToI420(bgr, y, layout.width, u, layout.chroma_width, v, layout.chroma_width);
}

}  // namespace fw::output
