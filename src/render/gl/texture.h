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

// An RGBA8 colour texture attached to a framebuffer, and its size: what the upload texture and
// the render targets share. Texel row y is image (and fragment) row y.
class FramebufferTexture {
 public:
  GLuint framebuffer() const { return framebuffer_.id(); }
  GLuint texture() const { return texture_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

 protected:
  FramebufferTexture();  // needs a current context; empty until Allocate

  // Gives the texture width x height texels of `rgba` (nullptr: undefined) and attaches it;
  // the size is 0 x 0 when that fails. Leaves GL_TEXTURE_2D of the active unit bound to it.
  core::Status Allocate(int width, int height, const void* rgba);

  GlTexture texture_;

 private:
  GlFramebuffer framebuffer_;
  int width_ = 0;
  int height_ = 0;
};

// Receives frames with glTexSubImage2D. Its framebuffer lets passes blit from it.
class UploadTexture : public FramebufferTexture {
 public:
  UploadTexture();  // needs a current context

  // bgr: CV_8UC3, any row stride. Leaves GL_TEXTURE_2D of the active unit bound to it.
  core::Status Upload(const cv::Mat& bgr);

  GLuint id() const { return texture(); }

 private:
  // The frame as packed RGBA: drivers store RGBA8 textures in that order and take it with a
  // plain copy, while a BGR upload goes through a slow per-pixel path (llvmpipe: 1.0 ms at 720p
  // against 0.1 ms for the conversion and 0.1-0.3 ms for the copy).
  std::vector<uint8_t> staging_;
};

// A texture to render into.
class RenderTarget : public FramebufferTexture {
 public:
  RenderTarget() = default;  // needs a current context; empty until Resize

  // Reallocates when the size differs. Leaves the framebuffer bound to GL_FRAMEBUFFER.
  core::Status Resize(int width, int height);
};

}  // namespace fw::render
