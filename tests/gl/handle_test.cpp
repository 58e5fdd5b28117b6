// The RAII GL handle: id 0 by default, move transfers ownership, destruction deletes the name;
// creating and destroying many textures, framebuffers and programs leaks nothing.
#include "render/gl/handle.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>

#include "gl/gl_test_context.h"
#include "render/gl/shader.h"
#include "render/gl/texture.h"
#include "render/warp_pass.h"

namespace fw::render {
namespace {

using GlHandleTest = test::GlTest;

static_assert(!std::is_copy_constructible_v<GlTexture>);
static_assert(!std::is_copy_assignable_v<GlTexture>);
static_assert(std::is_nothrow_move_constructible_v<GlTexture>);
static_assert(std::is_nothrow_move_assignable_v<GlTexture>);

TEST(GlHandle, DefaultHandleHoldsNoName) {
  GlTexture texture;
  EXPECT_EQ(texture.id(), 0u);
  EXPECT_FALSE(texture);
}

// A texture name only becomes a texture object once bound.
GlTexture MakeBoundTexture() {
  GlTexture t = GlTexture::Create();
  glBindTexture(GL_TEXTURE_2D, t.id());
  glBindTexture(GL_TEXTURE_2D, 0);
  return t;
}

TEST_F(GlHandleTest, DestructionDeletesTheName) {
  GLuint id = 0;
  {
    GlTexture texture = MakeBoundTexture();
    id = texture.id();
    ASSERT_NE(id, 0u);
    EXPECT_TRUE(glIsTexture(id));
  }
  EXPECT_FALSE(glIsTexture(id));
}

TEST_F(GlHandleTest, MoveTransfersOwnership) {
  GlTexture a = MakeBoundTexture();
  const GLuint id = a.id();
  GlTexture b(std::move(a));
  EXPECT_EQ(a.id(), 0u);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.id(), id);
  EXPECT_TRUE(glIsTexture(id));

  GlTexture c = MakeBoundTexture();
  const GLuint replaced = c.id();
  c = std::move(b);
  EXPECT_EQ(c.id(), id);
  EXPECT_FALSE(glIsTexture(replaced));  // assignment released c's old name
  EXPECT_TRUE(glIsTexture(id));

  c = std::move(c);       // self-move keeps the name
  EXPECT_EQ(c.id(), id);  // NOLINT(bugprone-use-after-move): self-move is what is tested
  c.Reset();
  EXPECT_EQ(c.id(), 0u);
  EXPECT_FALSE(glIsTexture(id));
}

TEST_F(GlHandleTest, EveryKindIsDeletedOnDestruction) {
  GLuint buffer = 0, framebuffer = 0, vertex_array = 0, sampler = 0, shader = 0, program = 0;
  {
    GlBuffer b = GlBuffer::Create();
    glBindBuffer(GL_ARRAY_BUFFER, b.id());
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    GlFramebuffer f = GlFramebuffer::Create();
    glBindFramebuffer(GL_FRAMEBUFFER, f.id());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    GlVertexArray v = GlVertexArray::Create();
    glBindVertexArray(v.id());
    glBindVertexArray(0);
    GlSampler s = GlSampler::Create();
    GlShader sh = GlShader::Create(GL_FRAGMENT_SHADER);
    GlProgram p = GlProgram::Create();
    buffer = b.id();
    framebuffer = f.id();
    vertex_array = v.id();
    sampler = s.id();
    shader = sh.id();
    program = p.id();
    EXPECT_TRUE(glIsBuffer(buffer) && glIsFramebuffer(framebuffer) &&
                glIsVertexArray(vertex_array) && glIsSampler(sampler) && glIsShader(shader) &&
                glIsProgram(program));
  }
  EXPECT_FALSE(glIsBuffer(buffer));
  EXPECT_FALSE(glIsFramebuffer(framebuffer));
  EXPECT_FALSE(glIsVertexArray(vertex_array));
  EXPECT_FALSE(glIsSampler(sampler));
  EXPECT_FALSE(glIsShader(shader));
  EXPECT_FALSE(glIsProgram(program));
}

TEST_F(GlHandleTest, ThousandCreateDestroyCyclesLeaveNoObjectAndNoError) {
  for (int i = 0; i < 1000; ++i) {
    UploadTexture texture;
    RenderTarget target;
    ASSERT_TRUE(target.Resize(16 + i % 7, 9 + i % 5).ok());
    GlProgram program = GlProgram::Create();
    const GLuint ids[] = {texture.id(), target.texture(), target.framebuffer(), program.id()};
    texture = UploadTexture();
    target = RenderTarget();
    program = GlProgram();
    ASSERT_FALSE(glIsTexture(ids[0]));
    ASSERT_FALSE(glIsTexture(ids[1]));
    ASSERT_FALSE(glIsFramebuffer(ids[2]));
    ASSERT_FALSE(glIsProgram(ids[3]));
    ASSERT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR)) << "cycle " << i;
  }
}

TEST_F(GlHandleTest, RepeatedlyBuiltWarpProgramsAreReleased) {
  const std::string dir = std::string(FACEWARP_SOURCE_DIR) + "/shaders";
  for (int i = 0; i < 50; ++i) {
    GLuint id = 0;
    {
      auto built = BuildProgram(dir, {"fullscreen.vert", "warp.frag", WarpShaderDefines()});
      ASSERT_TRUE(built.ok()) << built.error().message;
      id = built->program.id();
      ASSERT_TRUE(glIsProgram(id));
    }
    ASSERT_FALSE(glIsProgram(id));
  }
}

}  // namespace
}  // namespace fw::render
