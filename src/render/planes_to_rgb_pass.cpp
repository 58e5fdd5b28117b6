// The planar upload. Main thread only.
#include "render/planes_to_rgb_pass.h"

#include <utility>

#include "render/gl/draw_state.h"

namespace fw::render {

core::Result<PlanesToRgbPass> PlanesToRgbPass::Create(const std::string& shader_dir) {
  auto program = ReloadableProgram::Create(shader_dir, {"fullscreen.vert", "yuv_to_rgb.frag", {}});
  if (!program) return program.error();
  return PlanesToRgbPass(std::move(program).value(), GlVertexArray::Create());
}

PlanesToRgbPass::PlanesToRgbPass(ReloadableProgram program, GlVertexArray vertex_array)
    : program_(std::move(program), LookUpUniforms), vertex_array_(std::move(vertex_array)) {}

PlanesToRgbPass::Uniforms PlanesToRgbPass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.y = glGetUniformLocation(program, "u_y");
  u.u = glGetUniformLocation(program, "u_u");
  u.v = glGetUniformLocation(program, "u_v");
  return u;
}

core::Status PlanesToRgbPass::Draw(const core::YuvImage& yuv, UploadTexture& target) {
  if (yuv.empty() || yuv.u.size() != core::ChromaSize(yuv.size()) || yuv.v.size() != yuv.u.size()) {
    return core::Error::Runtime(
        "GL upload needs I420 planes (chroma of half the size, rounded up)");
  }
  glActiveTexture(GL_TEXTURE0);
  FW_RETURN_IF_ERROR(y_.Upload(yuv.y));
  FW_RETURN_IF_ERROR(u_.Upload(yuv.u));
  FW_RETURN_IF_ERROR(v_.Upload(yuv.v));
  FW_RETURN_IF_ERROR(target.Resize(yuv.width(), yuv.height()));

  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer());
  glDrawBuffer(GL_COLOR_ATTACHMENT0);
  SetPlainDrawState();
  glViewport(0, 0, yuv.width(), yuv.height());
  glUseProgram(program_.id());
  const Uniforms& u = program_.uniforms();
  const GLuint planes[3] = {y_.id(), u_.id(), v_.id()};
  for (int i = 2; i >= 0; --i) {
    glActiveTexture(static_cast<GLenum>(GL_TEXTURE0 + i));
    glBindTexture(GL_TEXTURE_2D, planes[i]);
    glBindSampler(static_cast<GLuint>(i), 0);
  }
  glUniform1i(u.y, 0);
  glUniform1i(u.u, 1);
  glUniform1i(u.v, 2);
  glBindVertexArray(vertex_array_.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  return core::Status::Ok();
}

}  // namespace fw::render
