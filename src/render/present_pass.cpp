// The present pass. Main thread only.
#include "render/present_pass.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "render/gl/draw_state.h"
#include "render/gl/texture.h"

namespace fw::render {

core::Result<PresentPass> PresentPass::Create(const std::string& shader_dir) {
  auto program = ReloadableProgram::Create(shader_dir, {"fullscreen.vert", "present.frag", {}});
  if (!program) return program.error();
  GlSampler sampler = MakeLinearClampSampler();
  return PresentPass(std::move(program).value(), GlVertexArray::Create(), std::move(sampler));
}

PresentPass::PresentPass(ReloadableProgram program, GlVertexArray vertex_array, GlSampler sampler)
    : program_(std::move(program), LookUpUniforms),
      vertex_array_(std::move(vertex_array)),
      sampler_(std::move(sampler)) {}

PresentPass::Uniforms PresentPass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.image = glGetUniformLocation(program, "u_image");
  u.original = glGetUniformLocation(program, "u_original");
  u.split = glGetUniformLocation(program, "u_split");
  return u;
}

ViewportRect FitViewportBeside(int image_width, int image_height, int window_width,
                               int window_height, int left_margin) {
  const int margin = std::clamp(left_margin, 0, window_width);
  ViewportRect rect =
      core::FitInside(image_width, image_height, window_width - margin, window_height, false);
  rect.x += margin;
  return rect;
}

void PresentPass::Draw(GLuint texture, GLuint original, float split, int image_width,
                       int image_height, int window_width, int window_height, int left_margin) {
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  SetPlainDrawState();
  glViewport(0, 0, window_width, window_height);
  glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  const ViewportRect rect =
      FitViewportBeside(image_width, image_height, window_width, window_height, left_margin);
  if (rect.width == 0 || texture == 0) return;

  glViewport(rect.x, rect.y, rect.width, rect.height);
  glUseProgram(program_.id());
  const Uniforms& u = program_.uniforms();
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, original != 0 ? original : texture);
  glBindSampler(1, sampler_.id());
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, texture);
  glBindSampler(0, sampler_.id());
  glUniform1i(u.image, 0);
  glUniform1i(u.original, 1);
  glUniform1f(u.split, original != 0 ? std::clamp(split, 0.0f, 1.0f) : 0.0f);
  glBindVertexArray(vertex_array_.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindSampler(1, 0);
  glBindSampler(0, 0);
}

}  // namespace fw::render
