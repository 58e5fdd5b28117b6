// Synchronous readback. Main thread only.
#include "render/readback.h"

#include <libyuv.h>

#include <cstdint>
#include <vector>

namespace fw::render {

namespace {

// Rows of packed RGBA from the target's only attachment into client memory.
// RGBA is how the driver stores the target, so the read is a plain copy; asking it for BGR
// costs a per-pixel conversion inside the driver (llvmpipe: 0.9 ms at 720p against 0.1-0.3 ms
// for the copy and 0.1-0.2 ms for libyuv's conversion afterwards).
void ReadRgba(const RenderTarget& target, void* pixels) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glPixelStorei(GL_PACK_ROW_LENGTH, 0);
  glPixelStorei(GL_PACK_SKIP_ROWS, 0);
  glPixelStorei(GL_PACK_SKIP_PIXELS, 0);
  glReadPixels(0, 0, target.width(), target.height(), GL_RGBA, GL_UNSIGNED_BYTE, pixels);
}

// Rows of `format` (GL_RED or GL_RG) into memory with rows of row_length texels.
void ReadRows(const RenderTarget& target, GLenum format, int row_length, void* pixels) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glPixelStorei(GL_PACK_ROW_LENGTH, row_length);
  glPixelStorei(GL_PACK_SKIP_ROWS, 0);
  glPixelStorei(GL_PACK_SKIP_PIXELS, 0);
  glReadPixels(0, 0, target.width(), target.height(), format, GL_UNSIGNED_BYTE, pixels);
  glPixelStorei(GL_PACK_ROW_LENGTH, 0);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
}

core::Status CheckPlane(const RenderTarget& target, const cv::Mat& plane) {
  if (plane.type() == CV_8UC1 && plane.cols == target.width() && plane.rows == target.height()) {
    return core::Status::Ok();
  }
  return core::Error::Runtime("internal: GL plane readback into a plane of another size or type");
}

// Packed RGBA rows to 8-bit BGR: libyuv's "ARGB" is B, G, R, A in memory and its "RAW"
// R, G, B, so R, G, B, A read as ARGB comes out as B, G, R.
void RgbaToBgr(const uint8_t* rgba, int width, int height, cv::Mat& out) {
  out.create(height, width, CV_8UC3);
  libyuv::ARGBToRAW(rgba, width * 4, out.data, static_cast<int>(out.step[0]), width, height);
}

}  // namespace

core::Status ReadTarget(const RenderTarget& target, cv::Mat& out) {
  if (target.width() <= 0 || target.height() <= 0) {
    return core::Error::Runtime("GL readback of an empty render target");
  }
  // Reused from call to call (the renderer reads on one thread): no allocation once it has
  // the frame's size.
  thread_local std::vector<uint8_t> rgba;
  rgba.resize(static_cast<size_t>(target.width()) * target.height() * 4);
  ReadRgba(target, rgba.data());
  RgbaToBgr(rgba.data(), target.width(), target.height(), out);
  return core::Status::Ok();
}

core::Status ReadPlane(const RenderTarget& target, cv::Mat& plane) {
  if (target.width() <= 0 || target.height() <= 0) {
    return core::Error::Runtime("GL readback of an empty render target");
  }
  FW_RETURN_IF_ERROR(CheckPlane(target, plane));
  ReadRows(target, GL_RED, static_cast<int>(plane.step[0]), plane.data);
  return core::Status::Ok();
}

core::Status ReadInterleavedPlanes(const RenderTarget& target, cv::Mat& first, cv::Mat& second) {
  if (target.width() <= 0 || target.height() <= 0) {
    return core::Error::Runtime("GL readback of an empty render target");
  }
  FW_RETURN_IF_ERROR(CheckPlane(target, first));
  FW_RETURN_IF_ERROR(CheckPlane(target, second));
  thread_local std::vector<uint8_t> interleaved;  // reused, as ReadTarget's buffer
  interleaved.resize(static_cast<size_t>(target.width()) * target.height() * 2);
  ReadRows(target, GL_RG, target.width(), interleaved.data());
  libyuv::SplitUVPlane(interleaved.data(), target.width() * 2, first.data,
                       static_cast<int>(first.step[0]), second.data,
                       static_cast<int>(second.step[0]), target.width(), target.height());
  return core::Status::Ok();
}

}  // namespace fw::render
