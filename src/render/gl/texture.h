// Textures the renderer streams frames through: an upload texture for 8-bit BGR frames and a
// render target, both RGBA8 with a framebuffer (so one can be blitted into the other). Both
// reallocate storage only when the frame size changes. Main thread only.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "core/result.h"
#include "render/gl/handle.h"

namespace fw::render {

// A sampler for bilinear fetches clamped to the edge (DESIGN.md's sampling convention).
GlSampler MakeLinearClampSampler();

// Receives frames with glTexSubImage2D into an RGBA8 texture; image row y is texel row y (rows
// top first). Its framebuffer lets passes blit from it.
class UploadTexture {
 public:
  UploadTexture();  // needs a current context

  // bgr: CV_8UC3, any row stride. Leaves GL_TEXTURE_2D of the active unit bound to it.
  core::Status Upload(const cv::Mat& bgr);

  GLuint id() const { return texture_.id(); }
  GLuint framebuffer() const { return framebuffer_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  GlTexture texture_;
  GlFramebuffer framebuffer_;
  int width_ = 0;
  int height_ = 0;
  // The frame as packed RGBA: drivers store RGBA8 textures in that order and take it with a
  // plain copy, while a BGR upload goes through a slow per-pixel path (llvmpipe: 1.0 ms at 720p
  // against 0.1 ms for the conversion and 0.1-0.3 ms for the copy).
  std::vector<uint8_t> staging_;
};

// An RGBA8 colour texture attached to a framebuffer; fragment row y is texel row y.
class RenderTarget {
 public:
  RenderTarget();  // needs a current context; empty until Resize

  // Reallocates when the size differs. Leaves the framebuffer bound to GL_FRAMEBUFFER.
  core::Status Resize(int width, int height);

  GLuint framebuffer() const { return framebuffer_.id(); }
  GLuint texture() const { return texture_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  GlTexture texture_;
  GlFramebuffer framebuffer_;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace fw::render
