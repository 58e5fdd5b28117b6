// The GL backend behind warp::WarpBackend (hidden window), the window preview path and hot
// reload of the warp shader through the renderer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "core/params.h"
#include "gl/gl_test_context.h"
#include "render/gl_warp_backend.h"
#include "render/present_pass.h"
#include "render/warp_renderer.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/cpu_warp.h"
#include "warp/warp_plan.h"

namespace fw::render {
namespace {

namespace fs = std::filesystem;

TEST(GlContextTest, ManyContextsOneAfterAnotherAllSucceed) {
  if (!test::HaveDisplay()) GTEST_SKIP() << "no display: run under xvfb-run";
  for (int i = 0; i < 60; ++i) {
    auto context = GlContext::Create({});
    ASSERT_TRUE(context.ok()) << "context " << i << ": " << context.error().message;
    EXPECT_FALSE((*context)->renderer().empty());
  }
}

TEST(GlWarpBackendTest, WarpsLikeTheCpuBackendThroughTheInterface) {
  if (!test::HaveDisplay()) GTEST_SKIP() << "no display: run under xvfb-run";
  auto created = GlWarpBackend::Create();
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::unique_ptr<warp::WarpBackend> backend = std::move(created).value();
  EXPECT_STREQ(backend->name(), "gl");

  const test::FaceImage fi = test::LoadFaceImage("group3");
  const warp::WarpPlan plan = test::Plan(fi.faces, core::DefaultParams());
  cv::Mat gl;
  cv::Mat cpu;
  ASSERT_TRUE(backend->Warp(fi.image, plan, gl).ok());
  ASSERT_TRUE(warp::WarpImageCpu(fi.image, plan, cpu).ok());
  EXPECT_LE(cv::norm(gl, cpu, cv::NORM_INF), 2.0);
  EXPECT_GT(cv::norm(gl, fi.image, cv::NORM_INF), 8.0);  // the warp did something

  const core::Status bad = backend->Warp(cv::Mat(4, 4, CV_8UC4), plan, gl);
  EXPECT_FALSE(bad.ok());
}

using Preview = test::GlTest;

// The window's back buffer as BGR, rows bottom first (GL order).
cv::Mat ReadWindow(int width, int height) {
  cv::Mat window(height, width, CV_8UC3);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glPixelStorei(GL_PACK_ROW_LENGTH, 0);
  glReadPixels(0, 0, width, height, GL_BGR, GL_UNSIGNED_BYTE, window.data);
  return window;
}

TEST_F(Preview, DrawToWindowPutsTheImageTopAtTheWindowTop) {
  auto renderer = WarpRenderer::Create();
  ASSERT_TRUE(renderer.ok()) << renderer.error().message;
  cv::Mat frame(40, 64, CV_8UC3, cv::Scalar(0, 0, 255));       // red (BGR)...
  frame(cv::Rect(0, 0, 64, 20)).setTo(cv::Scalar(255, 0, 0));  // ...with a blue top half
  ASSERT_TRUE(renderer->Upload(frame).ok());
  ASSERT_TRUE(renderer->Warp(warp::WarpPlan()).ok());
  int width = 0;
  int height = 0;
  context_->FramebufferSize(width, height);
  ASSERT_EQ(width, 64);
  ASSERT_EQ(height, 64);
  renderer->DrawToWindow(width, height);

  // 40 image rows centred in 64, black bars above and below.
  const cv::Mat window = ReadWindow(width, height);
  const auto at_gl_row = [&](int gl_row) { return window.at<cv::Vec3b>(gl_row, 32); };
  EXPECT_EQ(at_gl_row(2), cv::Vec3b(0, 0, 0));     // bottom bar
  EXPECT_EQ(at_gl_row(20), cv::Vec3b(0, 0, 255));  // image bottom: red
  EXPECT_EQ(at_gl_row(45), cv::Vec3b(255, 0, 0));  // image top: blue
  EXPECT_EQ(at_gl_row(62), cv::Vec3b(0, 0, 0));    // top bar
  context_->SwapBuffers();
}

TEST_F(Preview, SplitViewShowsTheOriginalOnTheLeft) {
  auto renderer = WarpRenderer::Create();
  ASSERT_TRUE(renderer.ok()) << renderer.error().message;
  cv::Mat frame(40, 64, CV_8UC3);
  cv::RNG(5).fill(frame, cv::RNG::UNIFORM, 0, 256);
  const warp::WarpPlan plan = {{warp::OpKind::kScale, {32, 20}, {32, 20}, 100.0, 0.5}};
  ASSERT_TRUE(renderer->Upload(frame).ok());
  ASSERT_TRUE(renderer->Warp(plan).ok());
  cv::Mat warped;
  ASSERT_TRUE(renderer->Read(warped).ok());
  renderer->DrawToWindow(64, 64, 0.5f);
  const cv::Mat window = ReadWindow(64, 64);
  // Image row y is window row 12 + (39 - y) in GL order (40 rows centred in 64, top at top).
  for (int y : {5, 20, 35}) {
    const int gl_row = 12 + 39 - y;
    EXPECT_EQ(window.at<cv::Vec3b>(gl_row, 10), frame.at<cv::Vec3b>(y, 10)) << y;
    EXPECT_EQ(window.at<cv::Vec3b>(gl_row, 50), warped.at<cv::Vec3b>(y, 50)) << y;
  }
  EXPECT_NE(cv::norm(warped, frame, cv::NORM_INF), 0.0);
}

TEST_F(Preview, BrokenShaderEditKeepsRenderingAndReportsTheLog) {
  const fs::path dir =
      fs::temp_directory_path() / ("facewarp-reload-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(std::string(FACEWARP_SOURCE_DIR) + "/shaders")) {
    fs::copy_file(entry.path(), dir / entry.path().filename(),
                  fs::copy_options::overwrite_existing);
  }
  {
    auto renderer = WarpRenderer::Create(dir.string());
    ASSERT_TRUE(renderer.ok()) << renderer.error().message;
    const cv::Mat frame(16, 16, CV_8UC3, cv::Scalar(10, 20, 30));
    ASSERT_TRUE(renderer->Upload(frame).ok());

    std::ofstream(dir / "warp_math.glsl", std::ios::app) << "\nthis is not glsl\n";
    fs::last_write_time(dir / "warp_math.glsl",
                        fs::last_write_time(dir / "warp_math.glsl") + std::chrono::seconds(2));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (renderer->shader_error().empty() && std::chrono::steady_clock::now() < deadline) {
      EXPECT_FALSE(renderer->ReloadShadersIfChanged());
      usleep(20000);
    }
    EXPECT_NE(renderer->shader_error().find("warp_math.glsl"), std::string::npos)
        << renderer->shader_error();
    ASSERT_TRUE(renderer->Warp(warp::WarpPlan()).ok());
    cv::Mat out;
    ASSERT_TRUE(renderer->Read(out).ok());
    EXPECT_EQ(cv::norm(out, frame, cv::NORM_INF), 0.0);  // the last good program still runs
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fw::render
