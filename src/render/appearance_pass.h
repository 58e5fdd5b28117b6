// The appearance pass: draws a look plan (age, skin smoothing; src/looks/) on the warped frame
// in its render target. It copies the target into a scratch texture, then redraws each face's
// mesh from that copy with shaders/appearance.vert + appearance.frag, so every pixel outside
// the meshes (and inside them where no layer weighs) keeps its value exactly. Main thread only.
#pragma once

#include <array>
#include <string>

#include "core/result.h"
#include "looks/look_plan.h"
#include "render/gl/handle.h"
#include "render/gl/reloadable_program.h"
#include "render/gl/texture.h"

namespace fw::render {

class AppearancePass {
 public:
  // Builds the shaders from shader_dir and uploads the canonical layers; needs a current context.
  static core::Result<AppearancePass> Create(const std::string& shader_dir);

  // No-op for an empty plan. Sets every piece of state it depends on (framebuffers, viewport,
  // program, texture units 0 and 1, vertex array; blending, depth, scissor, culling off).
  // No allocation once the scratch texture has the target's size.
  core::Status Draw(const looks::LookPlan& looks, const RenderTarget& target);

  bool ReloadIfChanged() { return program_.ReloadIfChanged(); }
  const std::string& shader_error() const { return program_.last_error(); }

 private:
  struct Uniforms {
    GLint image = -1;
    GLint layers = -1;
    GLint image_size = -1;
    GLint layers_size = -1;
    GLint tap_step = -1;
    GLint age = -1;
    GLint smooth = -1;
    GLint skin = -1;
    GLint hair = -1;
    GLint background = -1;
    GLint hair_confidence = -1;
  };
  static Uniforms LookUpUniforms(GLuint program);

  AppearancePass(ReloadableProgram program, GlTexture layers, GlVertexArray vertex_array,
                 GlBuffer vertices, GlBuffer indices, int index_count);

  PassProgram<Uniforms> program_;
  GlTexture layers_;
  GlVertexArray vertex_array_;
  GlBuffer vertices_;
  GlBuffer indices_;
  int index_count_ = 0;
  RenderTarget scratch_;
  // Per face, per mesh point: position x, y (pixels), layer texel x, y.
  std::array<float, 4 * looks::kMaxLookFaces * looks::kMeshPoints> staging_{};
};

}  // namespace fw::render
