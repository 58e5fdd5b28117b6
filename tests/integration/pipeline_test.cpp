// The threaded pipeline end to end with the real model: a camera that fails mid-run is
// reported and retried until it comes back, without crashing or hanging (asserted on events,
// not on timing), and a headless run over the sample clip
// delivers every frame in order with the faces computed on that very frame. Test thread only
// (the pipeline's own threads run inside).
#include "app/pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "capture/source.h"
#include "core/params.h"
#include "core/stats.h"
#include "integration/face_test_data.h"
#include "support/file_tracking.h"
#include "support/io_test_support.h"
#include "tracking/face_tracker.h"

namespace fw {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr char kLost[] = "camera lost - reconnecting";

// A camera that delivers `frames` copies of an image at about 100 fps, then fails for good.
class FailingCamera : public capture::Source {
 public:
  FailingCamera(cv::Mat image, int frames) : image_(std::move(image)), frames_(frames) {
    info_.kind = capture::SourceKind::kCamera;
    info_.name = "failing test camera";
    info_.width = image_.cols;
    info_.height = image_.rows;
    info_.fps = 30.0;
  }
  const capture::SourceInfo& info() const override { return info_; }
  capture::ReadState Read(core::Frame& frame) override {
    if (served_ >= frames_) return capture::ReadState::kFailed;
    std::this_thread::sleep_for(10ms);
    frame.image = image_.clone();
    frame.index = served_++;
    frame.capture_ns = core::NowNs();
    return capture::ReadState::kFrame;
  }

 private:
  capture::SourceInfo info_;
  cv::Mat image_;
  int frames_;
  int served_ = 0;
};

// Polls `done` until it holds. The limit only guards against a hang: the tests assert what
// happens, never how fast.
template <class Fn>
bool WaitFor(Fn done) {
  const Clock::time_point limit = Clock::now() + 120s;
  while (!done()) {
    if (Clock::now() > limit) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<cv::Mat> ReadClip(const std::string& path) {
  std::vector<cv::Mat> frames;
  auto source = capture::OpenSource(path);
  EXPECT_TRUE(source.ok()) << source.error().message;
  if (!source.ok()) return frames;
  core::Frame frame;
  while ((*source)->Read(frame) == capture::ReadState::kFrame) frames.push_back(frame.image);
  return frames;
}

class PipelineTest : public ::testing::Test {
 protected:
  // A headless run of `clip` to its end: every frame the pipeline delivered, which reports no
  // error and no drop.
  static void RunToEnd(const std::string& clip, const capture::SourceOptions& options,
                       const core::Params& params, std::vector<app::TrackedFrame>& delivered) {
    auto source = capture::OpenSource(clip, options);
    ASSERT_TRUE(source.ok()) << source.error().message;
    core::RunStats stats;
    app::Pipeline pipeline(std::move(source).value(), clip, options, *analyzer_, params, {}, stats);
    pipeline.Start();
    while (auto frame = pipeline.Take()) delivered.push_back(std::move(*frame));
    pipeline.Stop();
    EXPECT_EQ(pipeline.error(), "");
    EXPECT_EQ(pipeline.dropped(), 0);
  }

  static void SetUpTestSuite() { analyzer_ = testdata::SharedAnalyzer::Get(); }
  void SetUp() override { ASSERT_NE(analyzer_, nullptr) << testdata::SharedAnalyzer::Error(); }
  static tracking::FaceAnalyzer* analyzer_;
};

tracking::FaceAnalyzer* PipelineTest::analyzer_ = nullptr;

// The faces the pipeline delivered for frame `index` are exactly those expected.
void ExpectSameFaces(const core::Faces& got, const core::Faces& expected, size_t index) {
  ASSERT_EQ(got.size(), expected.size()) << "frame " << index;
  for (size_t f = 0; f < expected.size(); ++f) {
    EXPECT_EQ(got[f].weight, expected[f].weight) << "frame " << index;
    for (int k = 0; k < core::kNumLandmarks; ++k) {
      EXPECT_EQ(got[f].points[k].x, expected[f].points[k].x) << "frame " << index;
      EXPECT_EQ(got[f].points[k].y, expected[f].points[k].y) << "frame " << index;
    }
  }
}

TEST_F(PipelineTest, ACameraThatFailsMidRunIsReportedAndRetriedUntilItComesBack) {
  const std::vector<cv::Mat> still =
      ReadClip(testdata::AssetPath("astronaut_static_noise_640x480.mp4"));
  ASSERT_FALSE(still.empty());
  iotest::TempDir dir;
  // The spec the pipeline reopens: missing at first, so the camera stays lost until the test
  // puts a picture there (an image source of 3 frames, then the end of the stream).
  const std::string comeback = dir.File("camera.png");
  constexpr int kServed = 20;
  core::RunStats stats;
  app::PipelineOptions options;
  options.live = true;
  capture::SourceOptions reopen_options;
  reopen_options.image_frames = 3;
  app::Pipeline pipeline(std::make_unique<FailingCamera>(still[0], kServed), comeback,
                         reopen_options, *analyzer_, core::DefaultParams(), options, stats);
  pipeline.Start();

  // Every frame the camera served is either taken or counted as dropped (live mode keeps
  // only the newest); once all are accounted for, the camera has failed for good.
  int taken = 0;
  EXPECT_TRUE(WaitFor([&] {
    while (pipeline.TryTake()) ++taken;
    return taken + pipeline.dropped() == kServed && pipeline.status() == kLost;
  })) << taken
      << " taken, " << pipeline.dropped() << " dropped of " << kServed;
  EXPECT_GT(taken, 0);
  EXPECT_EQ(pipeline.error(), "");
  // No frame comes without a camera: every served frame is accounted for and none is left.
  EXPECT_FALSE(pipeline.TryTake().has_value());
  EXPECT_EQ(pipeline.status(), kLost);

  // The pipeline keeps trying: once the source is back, its frames arrive, then its end.
  // Written aside and renamed, so the pipeline never sees half a file.
  ASSERT_TRUE(cv::imwrite(dir.File("writing.png"), still[0]));
  ASSERT_EQ(std::rename(dir.File("writing.png").c_str(), comeback.c_str()), 0);
  int after = 0;
  while (auto frame = pipeline.Take()) {
    EXPECT_EQ(frame->frame.image.size(), still[0].size());
    ++after;
  }
  EXPECT_GE(after, 1);
  EXPECT_LE(after, 3);
  EXPECT_EQ(pipeline.status(), "");
  EXPECT_EQ(pipeline.error(), "");
  std::printf("  %d frames taken before the failure, %d after the camera came back\n", taken,
              after);
  pipeline.Stop();
}

TEST_F(PipelineTest, StopEndsAPipelineWhoseCameraIsLost) {
  const std::vector<cv::Mat> still =
      ReadClip(testdata::AssetPath("astronaut_static_noise_640x480.mp4"));
  ASSERT_FALSE(still.empty());
  core::RunStats stats;
  app::PipelineOptions options;
  options.live = true;
  app::Pipeline pipeline(std::make_unique<FailingCamera>(still[0], 2),
                         "/nonexistent/facewarp-test-camera", {}, *analyzer_, core::DefaultParams(),
                         options, stats);
  pipeline.Start();
  EXPECT_TRUE(WaitFor([&] { return pipeline.status() == kLost; }));
  // Stop() wakes the reconnect wait and joins: it returns (a hang would hit ctest's timeout).
  pipeline.Stop();
  EXPECT_EQ(pipeline.error(), "");
}

// Every frame, in order, with its own pixels; and the faces that a tracker given exactly these
// frames computes on each one, smoothed as a file's are: a frame never travels with another
// frame's faces. With frames ahead (the default) and without.
void ExpectEveryFrameWithItsFaces(tracking::FaceAnalyzer& analyzer,
                                  const std::vector<app::TrackedFrame>& delivered,
                                  const std::vector<cv::Mat>& frames, const core::Params& params,
                                  int* with_faces) {
  ASSERT_EQ(delivered.size(), frames.size());
  std::vector<double> times;
  for (const app::TrackedFrame& d : delivered) times.push_back(d.frame.timestamp_s);
  const std::vector<core::Faces> expected =
      testing_support::TrackFrames(analyzer, frames, times, params, 30.0);
  ASSERT_EQ(expected.size(), frames.size());
  *with_faces = 0;
  for (size_t i = 0; i < delivered.size(); ++i) {
    const app::TrackedFrame& d = delivered[i];
    ASSERT_EQ(d.frame.index, static_cast<int64_t>(i));
    ASSERT_EQ(cv::norm(d.frame.image, frames[i], cv::NORM_INF), 0.0) << "frame " << i;
    ASSERT_NO_FATAL_FAILURE(ExpectSameFaces(d.faces, expected[i], i));
    *with_faces += !d.faces.empty();
  }
}

TEST_F(PipelineTest, AHeadlessRunDeliversEveryFrameInOrderWithTheFacesFoundOnIt) {
  const std::string clip = testdata::AssetPath("astronaut_zoom_pan_rotate_512.mp4");
  const core::Params params = core::DefaultParams();
  ASSERT_GT(params.smooth_ahead, 0.0);
  std::vector<app::TrackedFrame> delivered;
  ASSERT_NO_FATAL_FAILURE(RunToEnd(clip, {}, params, delivered));
  const std::vector<cv::Mat> frames = ReadClip(clip);
  ASSERT_EQ(frames.size(), 120u);
  int with_faces = 0;
  ASSERT_NO_FATAL_FAILURE(
      ExpectEveryFrameWithItsFaces(*analyzer_, delivered, frames, params, &with_faces));

  // Without frames ahead, the tracker's own (live) smoothing.
  core::Params live_smoothing = params;
  live_smoothing.smooth_ahead = 0.0;
  std::vector<app::TrackedFrame> unwaited;
  ASSERT_NO_FATAL_FAILURE(RunToEnd(clip, {}, live_smoothing, unwaited));
  int unwaited_faces = 0;
  ASSERT_NO_FATAL_FAILURE(
      ExpectEveryFrameWithItsFaces(*analyzer_, unwaited, frames, live_smoothing, &unwaited_faces));
  EXPECT_EQ(unwaited_faces, with_faces);

  // And those faces lie on the frame's face, as the detector finds it on that frame.
  int checked = 0;
  for (size_t i = 0; i < delivered.size(); i += 5) {
    for (const core::Face& found : analyzer_->Detect(frames[i], params)) {
      for (const core::Face& face : delivered[i].faces) {
        if (core::Iou(face.box, found.box) < 0.3) continue;
        double sum = 0.0;
        for (int k = 0; k < core::kNumLandmarks; ++k) {
          sum += core::Distance(face.points[k], found.points[k]);
        }
        EXPECT_LE(sum / core::kNumLandmarks / core::OuterEyeDistance(found), 0.1) << "frame " << i;
        ++checked;
      }
    }
  }
  std::printf("  %zu frames delivered, %d with a face, %d checked against detection\n",
              delivered.size(), with_faces, checked);
  EXPECT_GE(with_faces, 90);
  EXPECT_GE(checked, 18);
}

// Headless runs read video files as planes: every frame still arrives once, in order, up to
// the file's last, each with its own planes (the decoder's buffers, unchanged while held) and
// the faces a tracker given exactly those planes computes on it.
TEST_F(PipelineTest, PlanarFramesArriveEveryOneInOrderWithTheFacesFoundOnThem) {
  const std::string clip = testdata::AssetPath("astronaut_zoom_pan_rotate_512.mp4");
  capture::SourceOptions options;
  options.planar = true;
  const core::Params params = core::DefaultParams();
  std::vector<app::TrackedFrame> delivered;
  ASSERT_NO_FATAL_FAILURE(RunToEnd(clip, options, params, delivered));

  auto again = capture::OpenSource(clip, options);
  ASSERT_TRUE(again.ok()) << again.error().message;
  std::vector<core::YuvImage> planes;
  std::vector<double> times;
  core::Frame frame;
  size_t n = 0;
  while ((*again)->Read(frame) == capture::ReadState::kFrame) {
    ASSERT_LT(n, delivered.size()) << "the pipeline lost frames at the end";
    const app::TrackedFrame& d = delivered[n];
    ASSERT_EQ(d.frame.index, static_cast<int64_t>(n));
    ASSERT_TRUE(d.frame.image.empty());
    ASSERT_EQ(cv::norm(d.frame.yuv.y, frame.yuv.y, cv::NORM_INF), 0.0) << "frame " << n;
    ASSERT_EQ(cv::norm(d.frame.yuv.v, frame.yuv.v, cv::NORM_INF), 0.0) << "frame " << n;
    planes.push_back(frame.yuv);
    times.push_back(d.frame.timestamp_s);
    frame = core::Frame();  // the next frame in a buffer of its own
    ++n;
  }
  EXPECT_EQ(n, 120u);
  EXPECT_EQ(delivered.size(), n) << "frames delivered twice or past the file's end";
  const std::vector<core::Faces> expected =
      testing_support::TrackFrames(*analyzer_, planes, times, params, 30.0);
  int with_faces = 0;
  for (size_t i = 0; i < n; ++i) {
    ASSERT_NO_FATAL_FAILURE(ExpectSameFaces(delivered[i].faces, expected[i], i));
    with_faces += !delivered[i].faces.empty();
  }
  EXPECT_GE(with_faces, 90);
}

}  // namespace
}  // namespace fw

namespace fw {
namespace {

// A photo shown live is one frame: its faces are detected once, a warp parameter does not
// track it again, a tracking parameter does (the same picture, detected afresh), and nothing
// is ever dropped.
TEST_F(PipelineTest, AStillPhotoShownLiveIsDetectedOnceAndAgainOnlyForTrackingParameters) {
  capture::SourceOptions source_options;
  source_options.image_frames = -1;  // the preview's endless still
  const std::string photo = testdata::AssetPath("group3.jpg");
  auto source = capture::OpenSource(photo, source_options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  core::Params params = core::DefaultParams();
  params.detect_width = (*source)->info().width;  // as app.cpp does for photos
  app::PipelineOptions options;
  options.live = true;
  options.paced = true;
  options.loop = true;
  core::RunStats stats;
  app::Pipeline pipeline(std::move(source).value(), photo, source_options, *analyzer_, params,
                         options, stats);
  pipeline.Start();

  auto first = pipeline.Take();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->faces.size(), 3u);
  EXPECT_EQ(first->frame.index, 0);

  params.thin = 2.5;  // the warp's own: nothing to track again
  pipeline.SetParams(params);
  params.detect_width = 1280;  // the detector's: the picture is detected again
  pipeline.SetParams(params);
  auto second = pipeline.Take();
  ASSERT_TRUE(second.has_value());
  // The same frame, not a later one of a stream: no frames were produced in between.
  EXPECT_EQ(second->frame.index, 0);
  EXPECT_EQ(second->faces.size(), 3u);
  EXPECT_TRUE(second->timings.detected);
  EXPECT_EQ(stats.Get(core::Stage::kDetect).count, 2u);
  EXPECT_EQ(pipeline.dropped(), 0);
  pipeline.Stop();
}

}  // namespace
}  // namespace fw
