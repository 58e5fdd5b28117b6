// The planar readback: a render target's RGB converted back to I420 by shaders
// (rgb_to_y.frag at full resolution, rgb_to_uv.frag at half, as core::BgrToYuv converts to
// the level) and the planes read back, 1.5 bytes a pixel instead of 4, with no conversion left
// for the CPU. Main thread only.
#pragma once

#include <string>

#include "core/result.h"
#include "core/yuv_image.h"
#include "render/gl/handle.h"
#include "render/gl/reloadable_program.h"
#include "render/gl/texture.h"

namespace fw::render {

class RgbToPlanesPass {
 public:
  // Builds fullscreen.vert + rgb_to_y.frag and rgb_to_uv.frag from shader_dir; needs a current
  // context.
  static core::Result<RgbToPlanesPass> Create(const std::string& shader_dir);

  // Converts source and reads the planes into out (YuvImage::Create: kept when it already has
  // the size and its own memory), waiting for the GPU. Sets every piece of state it depends on.
  // No allocation once the targets and out have the frame's size.
  core::Status Read(const RenderTarget& source, core::YuvImage& out);

  bool ReloadIfChanged();
  const std::string& shader_error() const;

 private:
  struct Uniforms {
    GLint image = -1;
    GLint last = -1;
  };
  static Uniforms LookUpUniforms(GLuint program);

  RgbToPlanesPass(ReloadableProgram luma, ReloadableProgram chroma, GlVertexArray vertex_array);
  // Draws source through program into target (already of its size).
  void Draw(const PassProgram<Uniforms>& program, const RenderTarget& source,
            const RenderTarget& target);

  PassProgram<Uniforms> luma_;
  PassProgram<Uniforms> chroma_;
  GlVertexArray vertex_array_;
  RenderTarget y_{TexelFormat::kR8};
  RenderTarget uv_{TexelFormat::kRg8};
};

}  // namespace fw::render
