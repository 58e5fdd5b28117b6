// The planar upload: an I420 picture's Y, U and V planes uploaded as single-channel textures as
// they are (no colour conversion on the CPU), then converted to RGB by shaders/yuv_to_rgb.frag
// into the renderer's RGBA upload texture, which the warp pass reads as it reads an uploaded
// BGR frame. Main thread only.
#pragma once

#include <string>

#include "core/result.h"
#include "core/yuv_image.h"
#include "render/gl/handle.h"
#include "render/gl/reloadable_program.h"
#include "render/gl/texture.h"

namespace fw::render {

class PlanesToRgbPass {
 public:
  // Builds fullscreen.vert + yuv_to_rgb.frag from shader_dir; needs a current context.
  static core::Result<PlanesToRgbPass> Create(const std::string& shader_dir);

  // Uploads yuv's planes (any row stride; chroma of core::ChromaSize) and draws their RGB into
  // target, resized to yuv's size. Sets every piece of state it depends on (framebuffer,
  // viewport, program, texture units 0-2, vertex array; blending etc. off). No allocation once
  // the textures have the frame's size.
  core::Status Draw(const core::YuvImage& yuv, UploadTexture& target);

  bool ReloadIfChanged() { return program_.ReloadIfChanged(); }
  const std::string& shader_error() const { return program_.last_error(); }

 private:
  struct Uniforms {
    GLint y = -1;
    GLint u = -1;
    GLint v = -1;
  };
  static Uniforms LookUpUniforms(GLuint program);

  PlanesToRgbPass(ReloadableProgram program, GlVertexArray vertex_array);

  PassProgram<Uniforms> program_;
  GlVertexArray vertex_array_;
  PlaneTexture y_;
  PlaneTexture u_;
  PlaneTexture v_;
};

}  // namespace fw::render
