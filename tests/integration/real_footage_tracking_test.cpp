// FaceTracker (default parameters, BlazeFace) on real footage, read in place from
// ../shared/data/test-only (never copied; the tests skip when it is absent): a webcam clip of a
// man at his desk and the FGNet talking-face clip. The first frames of each, played
// forwards and then backwards: a face on every frame and one track throughout; played forwards,
// smoothed live and as a file is (frames ahead), temporal noise against raw dlib's (its HOG
// detector at full resolution and predictor, independently on each frame) and lag against those
// independent landmarks, measured as
// ../shared/data/README.md defines them. Test thread only.
#include <gtest/gtest.h>

#include <cstdio>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/face.h"
#include "core/params.h"
#include "integration/face_test_data.h"
#include "support/file_tracking.h"
#include "support/landmark_measures.h"
#include "tracking/face_analyzer.h"
#include "tracking/face_tracker.h"

namespace fw {
namespace {

// Prefixes keep the suite cheap on a 2-core machine (the tracker costs about 5 ms of CPU per
// frame of these clips, the reference more): kFrames played there and back, kMeasuredFrames
// (the bench's 300, so that the figures are steady, not a few frames' luck) measured.
constexpr size_t kFrames = 150;
constexpr size_t kMeasuredFrames = 300;
constexpr size_t kWholeClip = 100000;
// The reference runs on every kReferenceEvery'th frame and the two after it (those triples give
// raw dlib's temporal noise; their first frames the lag).
constexpr size_t kReferenceEvery = 5;

constexpr char kWebcam[] = "webcam_cap12_400x300.mp4";
constexpr char kTalkingFace[] = "talking_face_franck_360x288.mp4";

struct Footage {
  bool present = false;
  std::string path;
  double fps = 25.0;
  std::vector<cv::Mat> frames;              // the first kMeasuredFrames
  std::vector<core::Faces> there_and_back;  // tracked forwards then backwards; empty until asked
  bool measured = false;
  double raw_noise = -1.0;
  double noise = -1.0;  // tracked forwards
  double lag = -1.0;
  int lag_frames = 0;
  // The same, smoothed as a file is (frames ahead, LookaheadSmoother).
  double file_noise = -1.0;
  double file_lag = -1.0;
};

// Live smoothing, or (`file`) as a file is smoothed: the frames ahead that smooth_ahead asks for.
std::vector<core::Faces> Track(tracking::FaceAnalyzer& analyzer, const std::vector<cv::Mat>& frames,
                               double fps, bool file = false) {
  return testing_support::TrackFrames(analyzer, frames,
                                      testing_support::FrameTimes(frames.size(), fps),
                                      core::DefaultParams(), fps, !file);
}

class RealFootageTrackingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    analyzer_ = testdata::SharedAnalyzer::Get();
    ASSERT_NE(analyzer_, nullptr) << testdata::SharedAnalyzer::Error();
  }

  // Decoded once per test process (ctest runs each test in one of its own, so each computes
  // only what it needs).
  static Footage& Load(const std::string& name, size_t limit = kMeasuredFrames) {
    static std::map<std::pair<std::string, size_t>, Footage> cache;
    auto [it, added] = cache.try_emplace({name, limit});
    Footage& f = it->second;
    if (!added) return f;
    f.path = testdata::SharedData() + "/test-only/" + name;
    auto source = capture::OpenSource(f.path);
    if (!source.ok()) return f;
    f.present = true;
    core::Frame frame;
    while (f.frames.size() < limit && (*source)->Read(frame) == capture::ReadState::kFrame) {
      f.frames.push_back(frame.image.clone());
    }
    if ((*source)->info().fps > 0) f.fps = (*source)->info().fps;
    return f;
  }

  const Footage& ThereAndBack(const std::string& name) {
    Footage& f = Load(name);
    if (f.present && f.there_and_back.empty()) {
      const auto end = f.frames.begin() + kFrames;
      std::vector<cv::Mat> frames(f.frames.begin(), end);
      frames.insert(frames.end(), std::make_reverse_iterator(end), f.frames.rend());
      f.there_and_back = Track(*analyzer_, frames, f.fps);
    }
    return f;
  }

  const Footage& Measured(const std::string& name, size_t limit = kMeasuredFrames) {
    Footage& f = Load(name, limit);
    if (!f.present || f.measured) return f;
    f.measured = true;
    const std::vector<core::Faces> tracked = Track(*analyzer_, f.frames, f.fps);
    const std::vector<core::Faces> from_file = Track(*analyzer_, f.frames, f.fps, true);
    f.noise = measures::TemporalNoise(tracked);
    f.file_noise = measures::TemporalNoise(from_file);
    core::Params hog = core::DefaultParams();
    hog.detector = 1;
    hog.detect_width = f.frames[0].cols;
    std::vector<core::Faces> raw;
    double lag = 0.0, file_lag = 0.0;
    for (size_t i = 0; i + 2 < f.frames.size(); i += kReferenceEvery) {
      for (size_t j = i; j < i + 3; ++j) raw.push_back(analyzer_->Detect(f.frames[j], hog));
      const core::Faces& reference = raw[raw.size() - 3];
      const core::Face* t =
          reference.empty() ? nullptr : measures::BestOverlap(tracked[i], reference[0].box);
      const core::Face* u =
          reference.empty() ? nullptr : measures::BestOverlap(from_file[i], reference[0].box);
      if (t != nullptr && u != nullptr) {
        lag += measures::MeanPointError(*t, reference[0]);
        file_lag += measures::MeanPointError(*u, reference[0]);
        ++f.lag_frames;
      }
      raw.emplace_back();  // a gap between triples
    }
    f.raw_noise = measures::TemporalNoise(raw);
    f.lag = f.lag_frames > 0 ? lag / f.lag_frames : -1.0;
    f.file_lag = f.lag_frames > 0 ? file_lag / f.lag_frames : -1.0;
    std::printf(
        "  %s, %zu frames: noise %.5f (raw dlib %.5f, %.2fx below), lag %.5f over %d frames; "
        "as a file: noise %.5f (%.2fx below), lag %.5f\n",
        name.c_str(), f.frames.size(), f.noise, f.raw_noise, f.raw_noise / f.noise, f.lag,
        f.lag_frames, f.file_noise, f.raw_noise / f.file_noise, f.file_lag);
    return f;
  }

  tracking::FaceAnalyzer* analyzer_ = nullptr;
};

#define FW_REQUIRE_FOOTAGE(footage)                                                     \
  if (!(footage).present) {                                                             \
    GTEST_SKIP() << (footage).path << " is absent (test-only data, read in place from " \
                 << "../shared/data)";                                                  \
  }

// Every frame, forwards and back, has exactly one face at full weight: the track that started
// on the first frame (a new track would fade in, below full weight) held throughout.
void ExpectOneTrackThroughout(const Footage& f) {
  ASSERT_EQ(f.frames.size(), kMeasuredFrames);
  ASSERT_EQ(f.there_and_back.size(), 2 * kFrames);
  int missing = 0, extra = 0, faded = 0;
  for (const core::Faces& faces : f.there_and_back) {
    if (faces.empty()) {
      ++missing;
      continue;
    }
    extra += faces.size() > 1 ? 1 : 0;
    faded += faces[0].weight < 1.0 ? 1 : 0;
  }
  EXPECT_EQ(missing, 0) << "frames without a face";
  EXPECT_EQ(extra, 0) << "frames with more than one face";
  EXPECT_EQ(faded, 0) << "frames whose face is below full weight (a new track fading in)";
}

TEST_F(RealFootageTrackingTest, TheWebcamClipKeepsOneFaceOnEveryFrameForwardsThenBackwards) {
  const Footage& f = ThereAndBack(kWebcam);
  FW_REQUIRE_FOOTAGE(f);
  ExpectOneTrackThroughout(f);
}

TEST_F(RealFootageTrackingTest, TheTalkingFaceClipKeepsOneFaceOnEveryFrameForwardsThenBackwards) {
  const Footage& f = ThereAndBack(kTalkingFace);
  FW_REQUIRE_FOOTAGE(f);
  ExpectOneTrackThroughout(f);
}

TEST_F(RealFootageTrackingTest, WebcamLandmarksHaveAQuarterOfRawDlibsNoiseAndLittleLag) {
  const Footage& f = Measured(kWebcam);
  FW_REQUIRE_FOOTAGE(f);
  ASSERT_GT(f.raw_noise, 0.0);
  ASSERT_GT(f.noise, 0.0);
  ASSERT_GE(f.lag_frames, static_cast<int>(kMeasuredFrames / kReferenceEvery) - 2);
  EXPECT_LE(f.noise, f.raw_noise / 5.0);  // measured 6.5x
  // The target is 0.015; measured 0.0090.
  EXPECT_LE(f.lag, 0.0095);
}

TEST_F(RealFootageTrackingTest, TalkingFaceLandmarksHaveLessThanHalfRawDlibsNoiseAndLittleLag) {
  const Footage& f = Measured(kTalkingFace);
  FW_REQUIRE_FOOTAGE(f);
  ASSERT_GT(f.raw_noise, 0.0);
  ASSERT_GT(f.noise, 0.0);
  ASSERT_GE(f.lag_frames, static_cast<int>(kMeasuredFrames / kReferenceEvery) - 2);
  // The target is a quarter of raw dlib's noise, which live smoothing does not meet on this
  // clip: 2.7x below raw (0.0025 against 0.0066). What is left is the head's own motion (the
  // predictor's frame-to-frame change of the face's centre correlates 0.88 with the optical
  // flow's, and the rigid part of the tracker's unsmoothed landmarks alone has a noise of
  // 0.0031), which no causal filter takes out without lag; a file meets it (below). So this is
  // a floor against regressions, not the target.
  EXPECT_LE(f.noise, f.raw_noise / 2.3);
  // The target is 0.015; measured 0.0125.
  EXPECT_LE(f.lag, 0.0135);
}

// A file waits 0.1 s for the frames after each one (smooth_ahead): the targets of a quarter of
// raw dlib's noise and at most 0.015 eye distances of lag hold on both clips.
TEST_F(RealFootageTrackingTest, WebcamLandmarksFromAFileHaveAQuarterOfRawDlibsNoiseAndLittleLag) {
  const Footage& f = Measured(kWebcam);
  FW_REQUIRE_FOOTAGE(f);
  ASSERT_GT(f.raw_noise, 0.0);
  ASSERT_GT(f.file_noise, 0.0);
  ASSERT_GE(f.lag_frames, static_cast<int>(kMeasuredFrames / kReferenceEvery) - 2);
  EXPECT_LE(f.file_noise, f.raw_noise / 10.0);  // measured 15x below
  EXPECT_LE(f.file_lag, 0.0075);                // measured 0.0062 (live: 0.0090)
}

TEST_F(RealFootageTrackingTest,
       TalkingFaceLandmarksFromAFileHaveAQuarterOfRawDlibsNoiseAndLittleLag) {
  const Footage& f = Measured(kTalkingFace);
  FW_REQUIRE_FOOTAGE(f);
  ASSERT_GT(f.raw_noise, 0.0);
  ASSERT_GT(f.file_noise, 0.0);
  ASSERT_GE(f.lag_frames, static_cast<int>(kMeasuredFrames / kReferenceEvery) - 2);
  EXPECT_LE(f.file_noise, f.raw_noise / 4.0);  // measured 4.7x below
  EXPECT_LE(f.file_lag, 0.0110);               // measured 0.0090 (live: 0.0125)
}

// The whole webcam clip: after its first 300 frames the man moves, and the recording repeats
// frames (567 of 1337 differ from the one before by under 0.1 grey levels on average), so the
// picture moves in a staircase. From a file the landmarks pass smoothly through the steps,
// within the targets; live ones, following the picture, keep much of them (1.6x below raw;
// the smooth landmarks held on each repeated frame would score 1.08x), which is not asserted.
TEST_F(RealFootageTrackingTest, TheWholeWebcamClipFromAFileHasAQuarterOfRawDlibsNoiseAndLittleLag) {
  const Footage& f = Measured(kWebcam, kWholeClip);
  FW_REQUIRE_FOOTAGE(f);
  ASSERT_EQ(f.frames.size(), 1337u);
  ASSERT_GT(f.raw_noise, 0.0);
  ASSERT_GT(f.file_noise, 0.0);
  ASSERT_GE(f.lag_frames, static_cast<int>(f.frames.size() / kReferenceEvery) - 2);
  EXPECT_LE(f.file_noise, f.raw_noise / 6.0);  // measured 10x below
  EXPECT_LE(f.file_lag, 0.0105);               // measured 0.0086 (live: 0.0115)
}

}  // namespace
}  // namespace fw
