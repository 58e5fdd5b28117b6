// GL test fixtures: a hidden GLFW window with a current GL 3.3 core context, shared by the tests
// of a suite (one display connection per suite), or a skip when no display can be had (run
// the GL suites under xvfb-run). Main thread only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "render/gl/handle.h"
#include "render/gl_context.h"
#include "render/warp_renderer.h"

namespace fw::test {

inline bool HaveDisplay() {
  for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

class GlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveDisplay()) return;
    render::GlContextOptions options;
    options.width = 64;
    options.height = 64;
    auto context = render::GlContext::Create(options);
    if (context.ok()) {
      shared_context_ = std::move(context).value();
    } else {
      shared_error_ = context.error().message;
    }
  }
  static void TearDownTestSuite() {
    shared_context_.reset();
    shared_error_.clear();
  }

  void SetUp() override {
    if (!HaveDisplay()) GTEST_SKIP() << "no display: run under xvfb-run";
    ASSERT_TRUE(shared_context_ != nullptr) << shared_error_;
    context_ = shared_context_.get();
    context_->MakeCurrent();
  }

  void TearDown() override {
    if (context_ != nullptr) {
      context_->MakeCurrent();
      EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
    }
  }

  render::GlContext* context_ = nullptr;

 private:
  static inline std::unique_ptr<render::GlContext> shared_context_;
  static inline std::string shared_error_;
};

// GlTest with a WarpRenderer built on the shared context for each test.
class RendererTest : public GlTest {
 protected:
  void SetUp() override {
    GlTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto renderer = render::WarpRenderer::Create();
    ASSERT_TRUE(renderer.ok()) << renderer.error().message;
    renderer_ = std::make_unique<render::WarpRenderer>(std::move(renderer).value());
  }
  void TearDown() override {
    renderer_.reset();
    GlTest::TearDown();
  }

  std::unique_ptr<render::WarpRenderer> renderer_;
};

}  // namespace fw::test
