// Readback: the frame just drawn, into any stride.
#include "render/readback.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "gl/gl_test_context.h"
#include "render/warp_renderer.h"

namespace fw::render {
namespace {

using Readback = test::GlTest;

// Distinct content per frame: noise seeded by the frame index.
cv::Mat MakeFrame(int index, int width, int height) {
  cv::Mat frame(height, width, CV_8UC3);
  cv::RNG rng(static_cast<uint64_t>(1000 + index));
  rng.fill(frame, cv::RNG::UNIFORM, 0, 256);
  return frame;
}

bool SameImage(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

TEST_F(Readback, SynchronousReadReturnsTheFrameJustDrawnIntoAnyStride) {
  auto renderer = WarpRenderer::Create();
  ASSERT_TRUE(renderer.ok()) << renderer.error().message;
  for (int i = 0; i < 3; ++i) {
    const cv::Mat frame = MakeFrame(i, 127, 65);
    ASSERT_TRUE(renderer->Upload(frame).ok());
    ASSERT_TRUE(renderer->Warp(warp::WarpPlan()).ok());
    cv::Mat out;
    ASSERT_TRUE(renderer->Read(out).ok());
    EXPECT_TRUE(SameImage(out, frame)) << "frame " << i;
  }
  // A destination that is a view into a wider image keeps its stride.
  const cv::Mat frame = MakeFrame(7, 127, 65);
  ASSERT_TRUE(renderer->Upload(frame).ok());
  ASSERT_TRUE(renderer->Warp(warp::WarpPlan()).ok());
  cv::Mat wide(65, 200, CV_8UC3, cv::Scalar::all(9));
  cv::Mat view = wide(cv::Rect(5, 0, 127, 65));
  ASSERT_TRUE(renderer->Read(view).ok());
  EXPECT_EQ(view.data, wide.ptr(0) + 15);
  EXPECT_TRUE(SameImage(view, frame));
  EXPECT_EQ(wide.at<cv::Vec3b>(10, 150), cv::Vec3b(9, 9, 9));
}

TEST_F(Readback, UploadRejectsImagesThatAreNotBgr) {
  auto renderer = WarpRenderer::Create();
  ASSERT_TRUE(renderer.ok()) << renderer.error().message;
  const core::Status gray = renderer->Upload(cv::Mat(10, 10, CV_8UC1));
  ASSERT_FALSE(gray.ok());
  EXPECT_NE(gray.error().message.find("BGR"), std::string::npos);
  EXPECT_FALSE(renderer->Upload(cv::Mat()).ok());
  EXPECT_FALSE(renderer->Warp(warp::WarpPlan()).ok());  // nothing uploaded yet
}

}  // namespace
}  // namespace fw::render
