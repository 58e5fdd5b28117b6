// Textures the renderer streams frames through: an upload texture for 8-bit BGR frames and
// render targets, RGBA8 (or one- and two-channel for YUV planes) with a framebuffer (so one can
// be blitted into another), and single-channel plane textures for I420 uploads. All reallocate
// storage only when the frame size changes. Main thread only.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "core/result.h"
#include "render/gl/handle.h"

namespace fw::render {

// A sampler for bilinear fetches clamped to the edge (DESIGN.md's sampling convention).
GlSampler MakeLinearClampSampler();

// How many 8-bit channels a colour texture has: RGBA for pictures, R for a luma plane, RG for
// the two chroma planes side by side.
enum class TexelFormat { kRgba8, kR8, kRg8 };

// A colour texture attached to a framebuffer, and its size: what the upload texture and the
// render targets share. Texel row y is image (and fragment) row y.
class FramebufferTexture {
 public:
  GLuint framebuffer() const { return framebuffer_.id(); }
  GLuint texture() const { return texture_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

 protected:
  // Needs a current context; empty until Allocate.
  explicit FramebufferTexture(TexelFormat format = TexelFormat::kRgba8);

  // Gives the texture width x height texels of `texels` (packed rows in the texture's format;
  // nullptr: undefined) and attaches it; the size is 0 x 0 when that fails. Leaves
  // GL_TEXTURE_2D of the active unit bound to it.
  core::Status Allocate(int width, int height, const void* texels);

  GlTexture texture_;

 private:
  GlFramebuffer framebuffer_;
  TexelFormat format_;
  int width_ = 0;
  int height_ = 0;
};

// Receives frames with glTexSubImage2D. Its framebuffer lets passes blit from it.
class UploadTexture : public FramebufferTexture {
 public:
  UploadTexture();  // needs a current context

  // bgr: CV_8UC3, any row stride. Leaves GL_TEXTURE_2D of the active unit bound to it.
  core::Status Upload(const cv::Mat& bgr);
  // Storage for a frame that a pass renders into (the planes' conversion), contents undefined;
  // reallocates only when the size differs. Leaves the framebuffer bound to GL_FRAMEBUFFER.
  core::Status Resize(int width, int height);

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
  // Needs a current context; empty until Resize.
  explicit RenderTarget(TexelFormat format = TexelFormat::kRgba8) : FramebufferTexture(format) {}

  // Reallocates when the size differs. Leaves the framebuffer bound to GL_FRAMEBUFFER.
  core::Status Resize(int width, int height);
};

// One 8-bit plane of an I420 picture as a single-channel (R8) texture, read with texelFetch
// (nearest, clamped, one level). No framebuffer.
class PlaneTexture {
 public:
  PlaneTexture();  // needs a current context

  // plane: CV_8UC1, any row stride; copied straight from its rows, no staging. Leaves
  // GL_TEXTURE_2D of the active unit bound to it.
  core::Status Upload(const cv::Mat& plane);

  GLuint id() const { return texture_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  GlTexture texture_;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace fw::render
