// Synchronous and pipelined (PBO) readback. Main thread only.
#include "render/readback.h"

#include <cstring>

namespace fw::render {

namespace {

// Tightly packed BGR rows; the read framebuffer is target's, reading its only attachment.
void PrepareRead(const RenderTarget& target, GLuint pack_buffer, int row_length) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, pack_buffer);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glPixelStorei(GL_PACK_ROW_LENGTH, row_length);
  glPixelStorei(GL_PACK_SKIP_ROWS, 0);
  glPixelStorei(GL_PACK_SKIP_PIXELS, 0);
}

}  // namespace

core::Status ReadTarget(const RenderTarget& target, cv::Mat& out) {
  if (target.width() <= 0 || target.height() <= 0) {
    return core::Error::Runtime("GL readback of an empty render target");
  }
  out.create(target.height(), target.width(), CV_8UC3);
  PrepareRead(target, 0, static_cast<int>(out.step[0] / out.elemSize()));
  glReadPixels(0, 0, target.width(), target.height(), GL_BGR, GL_UNSIGNED_BYTE, out.data);
  glPixelStorei(GL_PACK_ROW_LENGTH, 0);
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
  const size_t bytes = static_cast<size_t>(target.width()) * target.height() * 3;
  PrepareRead(target, slot.buffer.id(), 0);
  if (bytes > slot.capacity) {
    glBufferData(GL_PIXEL_PACK_BUFFER, static_cast<GLsizeiptr>(bytes), nullptr, GL_STREAM_READ);
    slot.capacity = bytes;
  }
  glReadPixels(0, 0, target.width(), target.height(), GL_BGR, GL_UNSIGNED_BYTE, nullptr);
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
  out.create(slot.height, slot.width, CV_8UC3);
  const size_t row_bytes = static_cast<size_t>(slot.width) * 3;
  const size_t bytes = row_bytes * slot.height;
  glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.buffer.id());
  const void* mapped =
      glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, static_cast<GLsizeiptr>(bytes), GL_MAP_READ_BIT);
  slot.tag = kNoFrame;
  if (mapped == nullptr) {
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    return core::Error::Runtime("cannot map the GL readback buffer (GL error " +
                                std::to_string(glGetError()) + ")");
  }
  const auto* src = static_cast<const unsigned char*>(mapped);
  if (out.isContinuous()) {
    std::memcpy(out.data, src, bytes);
  } else {
    for (int y = 0; y < slot.height; ++y) std::memcpy(out.ptr(y), src + y * row_bytes, row_bytes);
  }
  glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  return core::Status::Ok();
}

}  // namespace fw::render
