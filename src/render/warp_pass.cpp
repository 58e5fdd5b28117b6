// The GL warp pass. Main thread only.
#include "render/warp_pass.h"

#include <string>
#include <utility>

#include "render/gl/draw_state.h"

namespace fw::render {

std::vector<ShaderDefine> WarpShaderDefines() {
  return {{"FW_MAX_GROUPS", std::to_string(warp::kMaxShaderFaces)},
          {"FW_MAX_OPS", std::to_string(warp::kMaxShaderOps)},
          {"FW_OP_TRANSLATE", std::to_string(warp::kShaderOpTranslate)}};
}

core::Result<WarpPass> WarpPass::Create(const std::string& shader_dir) {
  auto program =
      ReloadableProgram::Create(shader_dir, {"warp.vert", "warp.frag", WarpShaderDefines()});
  if (!program) return program.error();
  GlSampler sampler = MakeLinearClampSampler();
  return WarpPass(std::move(program).value(), GlVertexArray::Create(), std::move(sampler));
}

WarpPass::WarpPass(ReloadableProgram program, GlVertexArray vertex_array, GlSampler sampler)
    : program_(std::move(program)),
      uniforms_(LookUpUniforms(program_.id())),
      vertex_array_(std::move(vertex_array)),
      sampler_(std::move(sampler)) {}

WarpPass::Uniforms WarpPass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.source = glGetUniformLocation(program, "u_source");
  u.source_size = glGetUniformLocation(program, "u_source_size");
  u.num_groups = glGetUniformLocation(program, "u_num_groups");
  u.group_box = glGetUniformLocation(program, "u_group_box");
  u.group_range = glGetUniformLocation(program, "u_group_range");
  u.op_geom = glGetUniformLocation(program, "u_op_geom");
  u.op_warp = glGetUniformLocation(program, "u_op_warp");
  u.op_kind = glGetUniformLocation(program, "u_op_kind");
  return u;
}

bool WarpPass::ReloadIfChanged() {
  if (!program_.ReloadIfChanged()) return false;
  uniforms_ = LookUpUniforms(program_.id());
  return true;
}

void WarpPass::Draw(const UploadTexture& source, const warp::PackedWarp& packed,
                    const RenderTarget& target) {
  SetPlainDrawState();
  const int width = target.width();
  const int height = target.height();
  glBindFramebuffer(GL_READ_FRAMEBUFFER, source.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, target.framebuffer());
  glDrawBuffer(GL_COLOR_ATTACHMENT0);
  glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer());
  if (packed.num_groups == 0) return;

  glViewport(0, 0, width, height);
  glUseProgram(program_.id());
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, source.id());
  glBindSampler(0, sampler_.id());

  glUniform1i(uniforms_.source, 0);
  glUniform2f(uniforms_.source_size, static_cast<float>(source.width()),
              static_cast<float>(source.height()));
  glUniform1i(uniforms_.num_groups, packed.num_groups);
  glUniform4fv(uniforms_.group_box, packed.num_groups, packed.group_box.data());
  glUniform2iv(uniforms_.group_range, packed.num_groups, packed.group_range.data());
  glUniform4fv(uniforms_.op_geom, packed.num_ops, packed.op_geom.data());
  glUniform4fv(uniforms_.op_warp, packed.num_ops, packed.op_warp.data());
  glUniform1iv(uniforms_.op_kind, packed.num_ops, packed.op_kind.data());

  glBindVertexArray(vertex_array_.id());
  glDrawArrays(GL_TRIANGLES, 0, 6 * packed.num_groups);
  glBindVertexArray(0);
  glBindSampler(0, 0);
}

}  // namespace fw::render
