// The warp pass: writes a source frame, warped by the packed ops of every face, into a render
// target of the same size: a blit copies the frame, then shaders/warp.vert + warp.frag redraw
// only the faces' boxes (pixels elsewhere cost no shading at all). Main thread only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/result.h"
#include "render/gl/handle.h"
#include "render/gl/reloadable_program.h"
#include "render/gl/texture.h"
#include "warp/uniform_pack.h"

namespace fw::render {

// The #defines that size warp.frag's uniform arrays (from warp/uniform_pack.h).
std::vector<ShaderDefine> WarpShaderDefines();

class WarpPass {
 public:
  // Builds warp.vert + warp.frag from shader_dir; needs a current context.
  static core::Result<WarpPass> Create(const std::string& shader_dir);

  // Sets every piece of state it depends on (framebuffers, viewport, program, texture unit 0,
  // sampler, vertex array; blending, depth, stencil, scissor and culling off).
  // target must already have source's size.
  void Draw(const UploadTexture& source, const warp::PackedWarp& packed,
            const RenderTarget& target);

  // Hot reload (see ReloadableProgram); true when a new program is in use.
  bool ReloadIfChanged() { return program_.ReloadIfChanged(); }
  const std::string& shader_error() const { return program_.last_error(); }

 private:
  struct Uniforms {
    GLint source = -1;
    GLint source_size = -1;
    GLint num_groups = -1;
    GLint group_box = -1;
    GLint group_range = -1;
  };
  // Size of the WarpOps uniform block: two vec4 arrays of kMaxShaderOps.
  static constexpr size_t kOpsBlockBytes = 2 * 4 * sizeof(float) * warp::kMaxShaderOps;
  static Uniforms LookUpUniforms(GLuint program);

  WarpPass(ReloadableProgram program, GlVertexArray vertex_array, GlSampler sampler, GlBuffer ops);

  PassProgram<Uniforms> program_;
  GlVertexArray vertex_array_;
  GlSampler sampler_;
  GlBuffer ops_;  // the WarpOps uniform block
};

}  // namespace fw::render
