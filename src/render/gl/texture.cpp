// Upload texture and render target. Main thread only.
#include "render/gl/texture.h"

#include <libyuv.h>

#include <string>

namespace fw::render {

namespace {

// Linear filtering, clamp to edge, one level: complete for texture() and texelFetch() alike.
void SetSamplingParameters() {
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_BASE_LEVEL, 0);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
}

std::string SizeText(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// Frames larger than the driver's texture limit cannot be uploaded in one piece.
core::Status CheckTextureSize(int width, int height) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  if (width <= max_size && height <= max_size) return core::Status::Ok();
  return core::Error::Runtime("a " + SizeText(width, height) +
                              " frame exceeds the GL texture size limit of " +
                              std::to_string(max_size) + "; use --backend cpu");
}

struct GlFormat {
  GLint internal;
  GLenum format;
  const char* name;
};

GlFormat FormatOf(TexelFormat format) {
  switch (format) {
    case TexelFormat::kR8:
      return {GL_R8, GL_RED, "R8"};
    case TexelFormat::kRg8:
      return {GL_RG8, GL_RG, "RG8"};
    case TexelFormat::kRgba8:
      break;
  }
  return {GL_RGBA8, GL_RGBA, "RGBA8"};
}

// Attaches texture to framebuffer (bound to GL_FRAMEBUFFER afterwards) and checks it.
core::Status AttachColour(GLuint framebuffer, GLuint texture, int width, int height,
                          const char* format) {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  if (status == GL_FRAMEBUFFER_COMPLETE) return core::Status::Ok();
  return core::Error::Runtime("cannot render into a " + SizeText(width, height) + " " + format +
                              " framebuffer (glCheckFramebufferStatus " + std::to_string(status) +
                              ")");
}

}  // namespace

GlSampler MakeLinearClampSampler() {
  GlSampler sampler = GlSampler::Create();
  glSamplerParameteri(sampler.id(), GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glSamplerParameteri(sampler.id(), GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glSamplerParameteri(sampler.id(), GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glSamplerParameteri(sampler.id(), GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return sampler;
}

FramebufferTexture::FramebufferTexture(TexelFormat format)
    : texture_(GlTexture::Create()), framebuffer_(GlFramebuffer::Create()), format_(format) {}

core::Status FramebufferTexture::Allocate(int width, int height, const void* texels) {
  FW_RETURN_IF_ERROR(CheckTextureSize(width, height));
  const GlFormat f = FormatOf(format_);
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  SetSamplingParameters();
  glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
  glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, f.internal, width, height, 0, f.format, GL_UNSIGNED_BYTE, texels);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);  // GL's default, which other uploads assume
  core::Status status = AttachColour(framebuffer_.id(), texture_.id(), width, height, f.name);
  width_ = status.ok() ? width : 0;
  height_ = status.ok() ? height : 0;
  return status;
}

UploadTexture::UploadTexture() {
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  SetSamplingParameters();
}

core::Status UploadTexture::Upload(const cv::Mat& bgr) {
  if (bgr.type() != CV_8UC3 || bgr.empty()) {
    return core::Error::Runtime("GL upload needs a non-empty 8-bit BGR image, got type " +
                                std::to_string(bgr.type()) + " of " + SizeText(bgr.cols, bgr.rows));
  }
  const bool resized = bgr.cols != width() || bgr.rows != height();
  if (resized) FW_RETURN_IF_ERROR(CheckTextureSize(bgr.cols, bgr.rows));
  // libyuv's "RAW" is R, G, B in memory and its "ARGB" B, G, R, A, so handing it OpenCV's
  // B, G, R as RAW gives R, G, B, A.
  staging_.resize(static_cast<size_t>(bgr.cols) * bgr.rows * 4);
  libyuv::RAWToARGB(bgr.data, static_cast<int>(bgr.step[0]), staging_.data(), bgr.cols * 4,
                    bgr.cols, bgr.rows);
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
  glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
  if (resized) return Allocate(bgr.cols, bgr.rows, staging_.data());
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width(), height(), GL_RGBA, GL_UNSIGNED_BYTE,
                  staging_.data());
  return core::Status::Ok();
}

core::Status UploadTexture::Resize(int width, int height) {
  if (width == this->width() && height == this->height()) {
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer());
    return core::Status::Ok();
  }
  return Allocate(width, height, nullptr);  // attaching leaves the framebuffer bound
}

core::Status RenderTarget::Resize(int width, int height) {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer());
  if (width == this->width() && height == this->height()) return core::Status::Ok();
  return Allocate(width, height, nullptr);  // attaching leaves the framebuffer bound
}

PlaneTexture::PlaneTexture() : texture_(GlTexture::Create()) {
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  SetSamplingParameters();
}

core::Status PlaneTexture::Upload(const cv::Mat& plane) {
  if (plane.type() != CV_8UC1 || plane.empty()) {
    return core::Error::Runtime("GL upload needs a non-empty 8-bit plane, got type " +
                                std::to_string(plane.type()) + " of " +
                                SizeText(plane.cols, plane.rows));
  }
  const bool resized = plane.cols != width_ || plane.rows != height_;
  if (resized) FW_RETURN_IF_ERROR(CheckTextureSize(plane.cols, plane.rows));
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, static_cast<GLint>(plane.step[0]));
  glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
  glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
  if (resized) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, plane.cols, plane.rows, 0, GL_RED, GL_UNSIGNED_BYTE,
                 plane.data);
    width_ = plane.cols;
    height_ = plane.rows;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RED, GL_UNSIGNED_BYTE, plane.data);
  }
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  return core::Status::Ok();
}

}  // namespace fw::render
