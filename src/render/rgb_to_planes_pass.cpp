// The planar readback. Main thread only.
#include "render/rgb_to_planes_pass.h"

#include <utility>

#include "render/gl/draw_state.h"
#include "render/readback.h"

namespace fw::render {

core::Result<RgbToPlanesPass> RgbToPlanesPass::Create(const std::string& shader_dir) {
  auto luma = ReloadableProgram::Create(shader_dir, {"fullscreen.vert", "rgb_to_y.frag", {}});
  if (!luma) return luma.error();
  auto chroma = ReloadableProgram::Create(shader_dir, {"fullscreen.vert", "rgb_to_uv.frag", {}});
  if (!chroma) return chroma.error();
  return RgbToPlanesPass(std::move(luma).value(), std::move(chroma).value(),
                         GlVertexArray::Create());
}

RgbToPlanesPass::RgbToPlanesPass(ReloadableProgram luma, ReloadableProgram chroma,
                                 GlVertexArray vertex_array)
    : luma_(std::move(luma), LookUpUniforms),
      chroma_(std::move(chroma), LookUpUniforms),
      vertex_array_(std::move(vertex_array)) {}

RgbToPlanesPass::Uniforms RgbToPlanesPass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.image = glGetUniformLocation(program, "u_image");
  u.last = glGetUniformLocation(program, "u_last");
  return u;
}

bool RgbToPlanesPass::ReloadIfChanged() {
  const bool luma_changed = luma_.ReloadIfChanged();
  const bool chroma_changed = chroma_.ReloadIfChanged();
  return luma_changed || chroma_changed;
}

const std::string& RgbToPlanesPass::shader_error() const {
  return luma_.last_error().empty() ? chroma_.last_error() : luma_.last_error();
}

void RgbToPlanesPass::Draw(const PassProgram<Uniforms>& program, const RenderTarget& source,
                           const RenderTarget& target) {
  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer());
  glDrawBuffer(GL_COLOR_ATTACHMENT0);
  SetPlainDrawState();
  glViewport(0, 0, target.width(), target.height());
  glUseProgram(program.id());
  const Uniforms& u = program.uniforms();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, source.texture());
  glBindSampler(0, 0);
  glUniform1i(u.image, 0);
  if (u.last >= 0) glUniform2i(u.last, source.width() - 1, source.height() - 1);
  glBindVertexArray(vertex_array_.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
}

core::Status RgbToPlanesPass::Read(const RenderTarget& source, core::YuvImage& out) {
  if (source.width() <= 0 || source.height() <= 0) {
    return core::Error::Runtime("GL planar readback of an empty render target");
  }
  const cv::Size chroma = core::ChromaSize({source.width(), source.height()});
  FW_RETURN_IF_ERROR(y_.Resize(source.width(), source.height()));
  FW_RETURN_IF_ERROR(uv_.Resize(chroma.width, chroma.height));
  Draw(luma_, source, y_);
  Draw(chroma_, source, uv_);
  out.Create(source.width(), source.height());
  FW_RETURN_IF_ERROR(ReadPlane(y_, out.y));
  return ReadInterleavedPlanes(uv_, out.u, out.v);
}

}  // namespace fw::render
