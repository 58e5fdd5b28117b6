// The GL appearance pass. Main thread only.
#include "render/appearance_pass.h"

#include <utility>

#include "looks/canonical_layers.h"
#include "looks/face_mesh.h"
#include "render/gl/draw_state.h"

namespace fw::render {

core::Result<AppearancePass> AppearancePass::Create(const std::string& shader_dir) {
  auto program = ReloadableProgram::Create(shader_dir, {"appearance.vert", "appearance.frag", {}});
  if (!program) return program.error();

  const cv::Mat& layers = looks::CanonicalLayers();
  GlTexture texture = GlTexture::Create();
  glBindTexture(GL_TEXTURE_2D, texture.id());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_BASE_LEVEL, 0);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, static_cast<GLint>(layers.step[0] / 4));
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, layers.cols, layers.rows, 0, GL_RGBA, GL_UNSIGNED_BYTE,
               layers.data);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);

  GlVertexArray vertex_array = GlVertexArray::Create();
  GlBuffer vertices = GlBuffer::Create();
  GlBuffer indices = GlBuffer::Create();
  glBindVertexArray(vertex_array.id());
  glBindBuffer(GL_ARRAY_BUFFER, vertices.id());
  glBufferData(
      GL_ARRAY_BUFFER,
      static_cast<GLsizeiptr>(sizeof(float) * 4 * looks::kMaxLookFaces * looks::kMeshPoints),
      nullptr, GL_STREAM_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                        reinterpret_cast<const void*>(2 * sizeof(float)));
  const std::vector<uint16_t>& triangles = looks::MeshTriangles();
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indices.id());
  glBufferData(GL_ELEMENT_ARRAY_BUFFER,
               static_cast<GLsizeiptr>(sizeof(uint16_t) * triangles.size()), triangles.data(),
               GL_STATIC_DRAW);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  return AppearancePass(std::move(program).value(), std::move(texture), std::move(vertex_array),
                        std::move(vertices), std::move(indices),
                        static_cast<int>(triangles.size()));
}

AppearancePass::AppearancePass(ReloadableProgram program, GlTexture layers,
                               GlVertexArray vertex_array, GlBuffer vertices, GlBuffer indices,
                               int index_count)
    : program_(std::move(program), LookUpUniforms),
      layers_(std::move(layers)),
      vertex_array_(std::move(vertex_array)),
      vertices_(std::move(vertices)),
      indices_(std::move(indices)),
      index_count_(index_count) {}

AppearancePass::Uniforms AppearancePass::LookUpUniforms(GLuint program) {
  Uniforms u;
  u.image = glGetUniformLocation(program, "u_image");
  u.layers = glGetUniformLocation(program, "u_layers");
  u.image_size = glGetUniformLocation(program, "u_image_size");
  u.layers_size = glGetUniformLocation(program, "u_layers_size");
  u.tap_step = glGetUniformLocation(program, "u_tap_step");
  u.age = glGetUniformLocation(program, "u_age");
  u.smooth = glGetUniformLocation(program, "u_smooth");
  u.skin = glGetUniformLocation(program, "u_skin");
  u.hair = glGetUniformLocation(program, "u_hair");
  u.background = glGetUniformLocation(program, "u_background");
  u.hair_confidence = glGetUniformLocation(program, "u_hair_confidence");
  return u;
}

core::Status AppearancePass::Draw(const looks::LookPlan& looks, const RenderTarget& target) {
  if (looks.empty()) return core::Status::Ok();
  const int width = target.width();
  const int height = target.height();
  FW_RETURN_IF_ERROR(scratch_.Resize(width, height));
  SetPlainDrawState();
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, scratch_.framebuffer());
  glDrawBuffer(GL_COLOR_ATTACHMENT0);
  glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer());
  glViewport(0, 0, width, height);

  const looks::MeshPoints& canon = looks::CanonicalMesh();
  size_t k = 0;
  for (int f = 0; f < looks.num_faces; ++f) {
    for (int i = 0; i < looks::kMeshPoints; ++i) {
      const core::Vec2 t = looks::LayerTexel(canon[i]);
      staging_[k++] = static_cast<float>(looks.faces[f].points[i].x);
      staging_[k++] = static_cast<float>(looks.faces[f].points[i].y);
      staging_[k++] = static_cast<float>(t.x);
      staging_[k++] = static_cast<float>(t.y);
    }
  }
  glBindBuffer(GL_ARRAY_BUFFER, vertices_.id());
  glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(sizeof(float) * k), staging_.data());
  glBindBuffer(GL_ARRAY_BUFFER, 0);

  glUseProgram(program_.id());
  const Uniforms& u = program_.uniforms();
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, layers_.id());
  glBindSampler(1, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, scratch_.texture());
  glBindSampler(0, 0);
  glUniform1i(u.image, 0);
  glUniform1i(u.layers, 1);
  glUniform2i(u.image_size, width, height);
  glUniform2i(u.layers_size, looks::kLayerWidth, looks::kLayerHeight);
  glBindVertexArray(vertex_array_.id());
  for (int f = 0; f < looks.num_faces; ++f) {
    const looks::FaceLook& face = looks.faces[f];
    const looks::ShadeParams& s = face.shade;
    glUniform1i(u.tap_step, face.tap_step);
    glUniform1f(u.age, s.age);
    glUniform1f(u.smooth, s.smooth);
    glUniform3fv(u.skin, 1, s.skin);
    glUniform3fv(u.hair, 1, s.hair);
    glUniform3fv(u.background, 1, s.background);
    glUniform1f(u.hair_confidence, s.hair_confidence);
    glDrawElementsBaseVertex(GL_TRIANGLES, index_count_, GL_UNSIGNED_SHORT, nullptr,
                             f * looks::kMeshPoints);
  }
  glBindVertexArray(0);
  return core::Status::Ok();
}

}  // namespace fw::render
