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

}  // namespace fw::render
