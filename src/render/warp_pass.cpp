// The GL warp pass. Main thread only.
#include "render/warp_pass.h"

#include <string>
#include <utility>

#include "render/gl/draw_state.h"

namespace fw::render {

std::vector<ShaderDefine> WarpShaderDefines() {
  return {{"FW_MAX_GROUPS", std::to_string(warp::kMaxShaderFaces)},
          {"FW_MAX_OPS", std::to_string(warp::kMaxShaderOps)}};
}

core::Result<WarpPass> WarpPass::Create(const std::string& shader_dir) {
  auto program =
      ReloadableProgram::Create(shader_dir, {"warp.vert", "warp.frag", WarpShaderDefines()});
  if (!program) return program.error();
  GlSampler sampler = MakeLinearClampSampler();
  GlBuffer ops = GlBuffer::Create();
  glBindBuffer(GL_UNIFORM_BUFFER, ops.id());
  glBufferData(GL_UNIFORM_BUFFER, static_cast<GLsizeiptr>(kOpsBlockBytes), nullptr,
               GL_DYNAMIC_DRAW);
  glBindBuffer(GL_UNIFORM_BUFFER, 0);
  return WarpPass(std::move(program).value(), GlVertexArray::Create(), std::move(sampler),
                  std::move(ops));
}

WarpPass::WarpPass(ReloadableProgram program, GlVertexArray vertex_array, GlSampler sampler,
                   GlBuffer ops)
    : program_(std::move(program), LookUpUniforms),
      vertex_array_(std::move(vertex_array)),
      sampler_(std::move(sampler)),
      ops_(std::move(ops)) {}

WarpPass::Uniforms WarpPass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.source = glGetUniformLocation(program, "u_source");
  u.source_size = glGetUniformLocation(program, "u_source_size");
  u.num_groups = glGetUniformLocation(program, "u_num_groups");
  u.group_box = glGetUniformLocation(program, "u_group_box");
  u.group_range = glGetUniformLocation(program, "u_group_range");
  const GLuint block = glGetUniformBlockIndex(program, "WarpOps");
  if (block != GL_INVALID_INDEX) glUniformBlockBinding(program, block, warp::kWarpOpsBinding);
  return u;
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
  const Uniforms& u = program_.uniforms();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, source.id());
  glBindSampler(0, sampler_.id());

  glUniform1i(u.source, 0);
  glUniform2f(u.source_size, static_cast<float>(source.width()),
              static_cast<float>(source.height()));
  glUniform1i(u.num_groups, packed.num_groups);
  glUniform4fv(u.group_box, packed.num_groups, packed.group_box.data());
  glUniform2iv(u.group_range, packed.num_groups, packed.group_range.data());
  // std140: u_op_geom[FW_MAX_OPS] at offset 0, then u_op_warp, 16 bytes per vec4.
  const auto used = static_cast<GLsizeiptr>(4 * sizeof(float) * packed.num_ops);
  glBindBuffer(GL_UNIFORM_BUFFER, ops_.id());
  glBufferSubData(GL_UNIFORM_BUFFER, 0, used, packed.op_geom.data());
  glBufferSubData(GL_UNIFORM_BUFFER, static_cast<GLintptr>(kOpsBlockBytes / 2), used,
                  packed.op_warp.data());
  glBindBufferBase(GL_UNIFORM_BUFFER, warp::kWarpOpsBinding, ops_.id());

  glBindVertexArray(vertex_array_.id());
  glDrawArrays(GL_TRIANGLES, 0, 6 * packed.num_groups);
  glBindVertexArray(0);
  glBindSampler(0, 0);
  glBindBufferBase(GL_UNIFORM_BUFFER, warp::kWarpOpsBinding, 0);
  glBindBuffer(GL_UNIFORM_BUFFER, 0);
}

}  // namespace fw::render
