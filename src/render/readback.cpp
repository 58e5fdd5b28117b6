// Synchronous and pipelined (PBO) readback. Main thread only.
#include "render/readback.h"

#include <libyuv.h>

#include <cstdint>
#include <vector>

namespace fw::render {

namespace {

// Rows of packed RGBA from the target's only attachment into pack_buffer (0: client memory).
// RGBA is how the driver stores the target, so the read is a plain copy; asking it for BGR
// costs a per-pixel conversion inside the driver (llvmpipe: 0.9 ms at 720p against 0.1-0.3 ms
// for the copy and 0.1-0.2 ms for libyuv's conversion afterwards).
void ReadRgba(const RenderTarget& target, GLuint pack_buffer, void* pixels) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, pack_buffer);
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
  ReadRgba(target, 0, rgba.data());
  RgbaToBgr(rgba.data(), target.width(), target.height(), out);
  return core::Status::Ok();
}

PboReadback::PboReadback() {
  for (Slot& slot : slots_) slot.buffer = GlBuffer::Create();
}

core::Result<int64_t> PboReadback::Submit(const RenderTarget& target, int64_t tag, cv::Mat& out) {
  if (target.width() <= 0 || target.height() <= 0) {
    return core::Error::Runtime("GL readback of an empty render target");
  }
  Slot& slot = slots_[next_];
  const size_t bytes = static_cast<size_t>(target.width()) * target.height() * 4;
  glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.buffer.id());
  if (bytes > slot.capacity) {
    glBufferData(GL_PIXEL_PACK_BUFFER, static_cast<GLsizeiptr>(bytes), nullptr, GL_STREAM_READ);
    slot.capacity = bytes;
  }
  ReadRgba(target, slot.buffer.id(), nullptr);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  slot.width = target.width();
  slot.height = target.height();
  slot.tag = tag;
  next_ = 1 - next_;
  // The slot the next Submit will fill holds the frame queued by the previous call.
  Slot& previous = slots_[next_];
  if (previous.tag == kNoFrame) return kNoFrame;
  const int64_t previous_tag = previous.tag;
  FW_RETURN_IF_ERROR(CopyOut(previous, out));
  return previous_tag;
}

core::Result<int64_t> PboReadback::Flush(cv::Mat& out) {
  Slot& newest = slots_[1 - next_];
  if (newest.tag == kNoFrame) return kNoFrame;
  const int64_t tag = newest.tag;
  FW_RETURN_IF_ERROR(CopyOut(newest, out));
  return tag;
}

core::Status PboReadback::CopyOut(Slot& slot, cv::Mat& out) {
  const size_t bytes = static_cast<size_t>(slot.width) * slot.height * 4;
  glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.buffer.id());
  const void* mapped =
      glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, static_cast<GLsizeiptr>(bytes), GL_MAP_READ_BIT);
  slot.tag = kNoFrame;
  if (mapped == nullptr) {
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    return core::Error::Runtime("cannot map the GL readback buffer (GL error " +
                                std::to_string(glGetError()) + ")");
  }
  RgbaToBgr(static_cast<const uint8_t*>(mapped), slot.width, slot.height, out);
  glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  return core::Status::Ok();
}

}  // namespace fw::render
