// FaceTracker on real clips: jitter of a still face, following zoom, pan and roll, holding a
// face the detector alone misses, fading out a face that leaves and fading in one that comes,
// the astronaut's chest badge never warped, and the work done on tracked frames. Stream time is
// frame index / 30 s. The clips are decoded, and the default runs on them tracked, at most once
// per test process (ctest runs each test in a process of its own, so each computes only the
// runs it needs); the tests of fading run on half-size frames, where the detector needs no
// tiles. Test thread only (the asynchronous tracker's own detector thread aside).
#include "tracking/face_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/face.h"
#include "core/params.h"
#include "core/stats.h"
#include "integration/face_test_data.h"
#include "support/landmark_measures.h"
#include "tracking/face_analyzer.h"

namespace fw {
namespace {

constexpr double kFps = 30.0;
constexpr char kStillClip[] = "astronaut_static_noise_640x480.mp4";
constexpr char kZoomClip[] = "astronaut_zoom_pan_rotate_512.mp4";

std::vector<cv::Mat> ReadClip(const std::string& name) {
  std::vector<cv::Mat> frames;
  auto source = capture::OpenSource(testdata::AssetPath(name));
  EXPECT_TRUE(source.ok()) << source.error().message;
  if (!source.ok()) return frames;
  core::Frame frame;
  while ((*source)->Read(frame) == capture::ReadState::kFrame) frames.push_back(frame.image);
  return frames;
}

// Smoothing off: a cutoff so high that the filter's weight on each new sample is 1 - 2e-10.
// Outside the table's range on purpose; the tracker takes the value as it is.
core::Params Unsmoothed() {
  core::Params p = core::DefaultParams();
  p.smooth_min_cutoff = 1e9;
  return p;
}

struct TrackRun {
  std::vector<core::Faces> faces;
  std::vector<tracking::TrackerTimings> timings;
};

TrackRun Track(tracking::FaceAnalyzer& analyzer, const std::vector<cv::Mat>& frames,
               const core::Params& params) {
  tracking::FaceTracker tracker(analyzer);
  TrackRun run;
  for (size_t i = 0; i < frames.size(); ++i) {
    tracking::TrackerTimings timings;
    run.faces.push_back(tracker.Process(frames[i], i / kFps, params, &timings));
    run.timings.push_back(timings);
  }
  return run;
}

// The still-face jitter (measures::StillJitter) of a run that has exactly one face on every frame.
double Jitter(const std::vector<core::Faces>& faces) {
  for (const core::Faces& f : faces) EXPECT_EQ(f.size(), 1u);
  return measures::StillJitter(faces);
}

// The frames at half size: the still clip's face stays far above the detector's smallest, and
// the detector sees the whole frame at once, without tiles.
std::vector<cv::Mat> Half(const std::vector<cv::Mat>& frames) {
  std::vector<cv::Mat> out;
  for (const cv::Mat& f : frames) {
    cv::Mat h;
    cv::resize(f, h, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    out.push_back(h);
  }
  return out;
}

// The zoom clip's frames on which its detections are compared with the tracked face: every
// other frame, so both detection frames and tracked frames (detect_every 3) are compared.
constexpr size_t kCompareEvery = 2;

class FaceTrackerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { analyzer_ = testdata::SharedAnalyzer::Get(); }
  void SetUp() override { ASSERT_NE(analyzer_, nullptr) << testdata::SharedAnalyzer::Error(); }

  // The still clip (90 frames, 640x480).
  static const std::vector<cv::Mat>& Still() {
    static const std::vector<cv::Mat> frames = ReadClip(kStillClip);
    return frames;
  }
  // The zoom clip forwards (the face grows from 44 to 176 pixels) or backwards (it shrinks
  // below the detector's smallest face).
  static const std::vector<cv::Mat>& Zoom(bool backwards) {
    static const std::vector<cv::Mat> forwards = ReadClip(kZoomClip);
    static const std::vector<cv::Mat> reversed(forwards.rbegin(), forwards.rend());
    return backwards ? reversed : forwards;
  }
  // FaceAnalyzer::Detect (default parameters) on every kCompareEvery'th frame of the zoom clip
  // forwards; empty on the others.
  static const std::vector<core::Faces>& ZoomDetected() {
    static std::vector<core::Faces> detected;
    if (detected.empty()) {
      const std::vector<cv::Mat>& frames = Zoom(false);
      detected.resize(frames.size());
      for (size_t i = 0; i < frames.size(); i += kCompareEvery) {
        detected[i] = analyzer_->Detect(frames[i], core::DefaultParams());
      }
    }
    return detected;
  }
  // The tracker with default parameters on the still clip.
  static const TrackRun& StillRun() {
    static const TrackRun run = Track(*analyzer_, Still(), core::DefaultParams());
    return run;
  }
  // The tracker with default parameters on the zoom clip forwards.
  static const TrackRun& ZoomForwards() {
    static const TrackRun run = Track(*analyzer_, Zoom(false), core::DefaultParams());
    return run;
  }
  // The same forwards and then backwards (240 frames).
  static const TrackRun& ZoomThereAndBack() {
    static const TrackRun run = [] {
      std::vector<cv::Mat> frames = Zoom(false);
      frames.insert(frames.end(), Zoom(true).begin(), Zoom(true).end());
      return Track(*analyzer_, frames, core::DefaultParams());
    }();
    return run;
  }

  static tracking::FaceAnalyzer* analyzer_;
};

tracking::FaceAnalyzer* FaceTrackerTest::analyzer_ = nullptr;

TEST_F(FaceTrackerTest, AStillFaceJittersAQuarterOfRawDlibOrLess) {
  // Raw dlib: its detector at full resolution and its predictor, independently on every frame.
  const std::vector<cv::Mat>& frames = Still();
  ASSERT_EQ(frames.size(), 90u);
  core::Params hog = core::DefaultParams();
  hog.detector = 1;
  hog.detect_width = frames[0].cols;
  std::vector<core::Faces> raw;
  for (const cv::Mat& f : frames) raw.push_back(analyzer_->Detect(f, hog));
  const double dlib = Jitter(raw);
  const double unsmoothed = Jitter(Track(*analyzer_, frames, Unsmoothed()).faces);
  const double smoothed = Jitter(StillRun().faces);
  std::printf(
      "  jitter: raw dlib %.5f, tracker unsmoothed %.5f, smoothed %.5f eye distances; raw / "
      "smoothed %.2f\n",
      dlib, unsmoothed, smoothed, dlib / smoothed);
  EXPECT_GT(smoothed, 0.0);
  EXPECT_LT(unsmoothed, dlib);
  EXPECT_GE(dlib / smoothed, 4.0);
}

TEST_F(FaceTrackerTest, AStillFaceDoesNotStepOverItsFirstFrames) {
  // The landmarks of frame 0 come from the detection's box, later ones from the flow and the
  // landmarks' own box: that change must not show as a step (it once moved them 0.0125 eye
  // distances). What is left is the filter settling on the first, noisiest samples.
  const std::vector<core::Faces>& faces = StillRun().faces;
  ASSERT_GE(faces.size(), 6u);
  double worst = 0.0;
  for (size_t t = 0; t + 1 < 6; ++t) {
    ASSERT_EQ(faces[t].size(), 1u);
    ASSERT_EQ(faces[t + 1].size(), 1u);
    double step = 0.0;
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      step += core::Distance(faces[t + 1][0].points[i], faces[t][0].points[i]);
    }
    worst = std::max(worst, step / core::kNumLandmarks / core::OuterEyeDistance(faces[t][0]));
  }
  std::printf("  largest step over the first 6 frames: %.5f eye distances\n", worst);
  EXPECT_LE(worst, 0.003);  // measured 0.0010
}

TEST_F(FaceTrackerTest, SmoothedLandmarksFollowZoomPanAndRollWithinATwentiethOfTheEyeDistance) {
  const std::vector<cv::Mat>& frames = Zoom(false);
  ASSERT_EQ(frames.size(), 120u);
  const std::vector<core::Faces>& detected = ZoomDetected();
  const TrackRun& run = ZoomForwards();
  // The face is above y = 250 in every frame (HOG's check passes the chest badge, below, on a
  // few frames; BlazeFace never reports it).
  double sum = 0.0, worst = 0.0;
  int compared = 0, found = 0;
  std::vector<size_t> untracked;
  for (size_t i = 0; i < frames.size(); i += kCompareEvery) {
    for (const core::Face& d : detected[i]) {
      if (d.box.Centre().y >= 250.0) continue;
      ++found;
      const core::Face* tracked = measures::BestOverlap(run.faces[i], d.box);
      if (tracked == nullptr) {
        untracked.push_back(i);
        continue;
      }
      const double e = measures::MeanPointError(*tracked, d);
      sum += e;
      worst = std::max(worst, e);
      ++compared;
    }
  }
  std::printf(
      "  %d detections of the face (every %zu frames), %d compared: mean error %.4f, worst "
      "frame %.4f eye distances\n",
      found, kCompareEvery, compared, sum / compared, worst);
  EXPECT_EQ(found, static_cast<int>(frames.size() / kCompareEvery));
  // A face BlazeFace finds is warped on the frame it is found on.
  EXPECT_TRUE(untracked.empty()) << untracked.size() << " detections untracked, first on frame "
                                 << (untracked.empty() ? 0 : untracked[0]);
  ASSERT_GT(compared, 0);
  EXPECT_LE(sum / compared, 0.05);
  EXPECT_LE(worst, 0.1);
}

TEST_F(FaceTrackerTest, KeepsOneTrackThroughTheZoomClipForwardsThenBackwards) {
  // The face grows from 44 to 176 pixels and shrinks back to 44, below HOG's smallest face at
  // the default detect_width: one track, at full weight, from the first frame it is warped at
  // full weight to the end.
  const TrackRun& run = ZoomThereAndBack();
  ASSERT_EQ(run.faces.size(), 240u);
  int full = -1;
  for (size_t i = 0; i < run.faces.size(); ++i) {
    if (full < 0 && run.faces[i].size() == 1u && run.faces[i][0].weight >= 1.0) {
      full = static_cast<int>(i);
    }
    if (full < 0) continue;
    ASSERT_EQ(run.faces[i].size(), 1u) << "frame " << i;
    EXPECT_EQ(run.faces[i][0].weight, 1.0) << "frame " << i;
    EXPECT_LT(run.faces[i][0].box.Centre().y, 250.0) << "frame " << i;
  }
  std::printf("  warped at full weight from frame %d of %zu\n", full, run.faces.size());
  ASSERT_GE(full, 0);
  EXPECT_LE(full, 10);
}

TEST_F(FaceTrackerTest, AFaceThatVanishesFadesOutWithinHalfASecond) {
  const std::vector<cv::Mat>& still = Still();
  ASSERT_EQ(still.size(), 90u);
  constexpr int kGone = 20;         // the first frame without the face: t = 0.67 s
  constexpr int kEnd = kGone + 30;  // a second without it
  const cv::Size size = still[0].size();
  const std::vector<std::string> scenes = {"a grey frame", "background", "the face covered",
                                           "a fast pan away"};
  for (size_t scene = 0; scene < scenes.size(); ++scene) {
    std::vector<cv::Mat> frames(still.begin(), still.begin() + kGone);
    for (int i = kGone; i < kEnd; ++i) {
      cv::Mat f;
      if (scene == 0) {
        f = cv::Mat(size, CV_8UC3, cv::Scalar(128, 128, 128));
      } else if (scene == 1) {  // the shuttle model and backdrop right of the face, enlarged
        cv::resize(still[i](cv::Rect(420, 0, 220, 220)), f, size);
      } else if (scene == 2) {
        f = still[i].clone();
        cv::rectangle(f, cv::Rect(220, 40, 150, 160), cv::Scalar(90, 120, 160), cv::FILLED);
      } else {  // 40 pixels a frame to the left: the face's centre is out after 8 frames
        const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, -40.0 * (i - kGone + 1), 0, 1, 0);
        cv::warpAffine(still[i], f, shift, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
      }
      frames.push_back(f);
    }
    frames = Half(frames);
    const TrackRun run = Track(*analyzer_, frames, core::DefaultParams());
    ASSERT_EQ(run.faces[kGone - 1].size(), 1u) << scenes[scene];
    EXPECT_EQ(run.faces[kGone - 1][0].weight, 1.0) << scenes[scene];
    int empty_from = -1;
    bool faded = false;
    double previous = 1.0;
    for (int i = kGone; i < kEnd && empty_from < 0; ++i) {
      if (run.faces[i].empty()) {
        empty_from = i;
        break;
      }
      const double w = run.faces[i][0].weight;
      EXPECT_LE(w, previous) << scenes[scene] << ": the weight rose on frame " << i;
      faded = faded || (w > 0.0 && w < 1.0);
      previous = w;
    }
    ASSERT_GE(empty_from, 0) << scenes[scene] << ": still warped at the end";
    const double gone_after_s = (empty_from - kGone) / kFps;
    std::printf("  %s: no warp %.3f s after the face went\n", scenes[scene].c_str(), gone_after_s);
    EXPECT_LE(gone_after_s, 0.5) << scenes[scene];
    EXPECT_TRUE(faded) << scenes[scene] << ": the warp popped off instead of fading";
    for (int i = empty_from; i < kEnd; ++i) EXPECT_TRUE(run.faces[i].empty()) << "frame " << i;
  }
}

TEST_F(FaceTrackerTest, AFaceThatAppearsIsWarpedWithinThreeFramesFadingIn) {
  const std::vector<cv::Mat>& still = Still();
  ASSERT_EQ(still.size(), 90u);
  constexpr int kCome = 8;  // the first frame with the face: t = 0.27 s
  std::vector<cv::Mat> frames(kCome, cv::Mat(still[0].size(), CV_8UC3, cv::Scalar(128, 128, 128)));
  frames.insert(frames.end(), still.begin(), still.begin() + 20);
  frames = Half(frames);
  const TrackRun run = Track(*analyzer_, frames, core::DefaultParams());
  for (int i = 0; i < kCome; ++i) EXPECT_TRUE(run.faces[i].empty()) << "frame " << i;
  int first = -1, full = -1;
  double previous = 0.0;
  for (size_t i = kCome; i < frames.size(); ++i) {
    if (run.faces[i].empty()) {
      EXPECT_LT(first, 0) << "the face dropped out on frame " << i;
      continue;
    }
    if (first < 0) first = static_cast<int>(i);
    const double w = run.faces[i][0].weight;
    EXPECT_GE(w, previous) << "frame " << i;
    if (w >= 1.0 && full < 0) full = static_cast<int>(i);
    previous = w;
  }
  ASSERT_GE(first, 0);
  ASSERT_GE(full, 0);
  std::printf(
      "  the face appears on frame %d: warped from frame %d (weight %.2f), fully "
      "from frame %d\n",
      kCome, first, run.faces[first][0].weight, full);
  EXPECT_LE(first - kCome, 3) << "warped later than 3 frames after it came";
  EXPECT_LT(run.faces[first][0].weight, 1.0);
  EXPECT_GE((full - first) / kFps, 0.15 - 1e-9) << "faded in faster than 0.15 s";
  EXPECT_LE((full - kCome) / kFps, 0.35);
}

TEST_F(FaceTrackerTest, AFaceOnTheFirstFrameIsWarpedAtOnceAndAgainAfterReset) {
  const std::vector<cv::Mat>& still = Still();
  ASSERT_GE(still.size(), 2u);
  tracking::FaceTracker tracker(*analyzer_);
  const core::Params params = core::DefaultParams();
  core::Faces faces = tracker.Process(still[0], 0.0, params);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].weight, 1.0);
  tracker.Reset();
  EXPECT_EQ(tracker.tracked(), 0);
  faces = tracker.Process(still[1], 10.0, params);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].weight, 1.0);
}

TEST_F(FaceTrackerTest, NeverWarpsTheAstronautsChestBadge) {
  // The badge (below y = 300 in every frame; the face is above y = 250) passes HOG's check in
  // frames 47, 69 and 71; BlazeFace scores the collar and backdrop up to 0.68 in tiles.
  // Detecting on every frame gives them every chance.
  for (bool backwards : {false, true}) {
    for (double detect_every : {core::DefaultParams().detect_every, 1.0}) {
      if (backwards && detect_every == 1.0) continue;  // the same frames: once is enough
      core::Params params = core::DefaultParams();
      params.detect_every = detect_every;
      const bool shared = !backwards && detect_every == core::DefaultParams().detect_every;
      const TrackRun run = shared ? ZoomForwards() : Track(*analyzer_, Zoom(backwards), params);
      for (size_t i = 0; i < run.faces.size(); ++i) {
        EXPECT_LE(run.faces[i].size(), 1u) << "frame " << i;
        for (const core::Face& f : run.faces[i]) {
          EXPECT_LT(f.box.Centre().y, 250.0)
              << (backwards ? "backwards" : "forwards") << ", detect_every " << detect_every
              << ", frame " << i << ": a face warped at " << f.box.x << "," << f.box.y;
        }
      }
    }
  }
}

TEST_F(FaceTrackerTest, WithTheHogDetectorAFaceFoundAfterTheFirstFrameIsConfirmedAndKept) {
  // HOG, the fallback, finds the zoom clip's face once it has grown to about 80 pixels. A new
  // HOG face waits for the next detection (detections run on every frame while it waits), then
  // is warped and kept to the end; the badge below it (y >= 250), which passes HOG's check on a
  // few frames, never.
  core::Params params = core::DefaultParams();
  params.detector = 1;
  const TrackRun run = Track(*analyzer_, Zoom(false), params);
  int first = -1;
  for (size_t i = 0; i < run.faces.size(); ++i) {
    if (first < 0 && !run.faces[i].empty()) first = static_cast<int>(i);
    if (first < 0) continue;
    ASSERT_EQ(run.faces[i].size(), 1u) << "frame " << i;
    EXPECT_LT(run.faces[i][0].box.Centre().y, 250.0) << "frame " << i;
  }
  std::printf("  HOG: the face warped from frame %d of %zu\n", first, run.faces.size());
  ASSERT_GE(first, 0) << "HOG's face was never warped";
  EXPECT_LE(first, 40);
}

TEST_F(FaceTrackerTest, AStillSceneIsDetectedOnlyToFindItsFaceAgainAndStaysBeyondDoubt) {
  // Nothing new shows on the still clip after its first frame: detections only find the
  // followed face again (every half second) and sweep the small-face tiles (one every third
  // of a second) and the whole frame (every 2 s). Never more often than detect_every.
  const std::vector<cv::Mat>& frames = Still();
  ASSERT_EQ(frames.size(), 90u);
  const core::Params params = core::DefaultParams();
  const TrackRun& run = StillRun();
  const int every = static_cast<int>(params.detect_every);
  std::vector<double> tracked_ms, detect_ms;
  int detections = 0, last = -every;
  for (size_t i = 0; i < frames.size(); ++i) {
    // A still face keeps its motion and appearance evidence: no detection out of turn.
    EXPECT_EQ(run.timings[i].doubtful, 0) << "frame " << i;
    if (run.timings[i].detected) {
      EXPECT_GE(static_cast<int>(i) - last, every) << "frame " << i;
      last = static_cast<int>(i);
      ++detections;
      detect_ms.push_back(run.timings[i].detect_ms + run.timings[i].landmarks_ms);
    } else {
      tracked_ms.push_back(run.timings[i].landmarks_ms);
    }
  }
  EXPECT_TRUE(run.timings[0].detected);
  ASSERT_FALSE(detect_ms.empty());
  ASSERT_FALSE(tracked_ms.empty());
  std::sort(tracked_ms.begin(), tracked_ms.end());
  std::sort(detect_ms.begin(), detect_ms.end());
  std::printf(
      "  640x480, one face: %d detections in %zu frames; tracked frame median %.2f ms, "
      "detection frame median %.2f ms (informative only)\n",
      detections, frames.size(), tracked_ms[tracked_ms.size() / 2],
      detect_ms[detect_ms.size() / 2]);
  // Detected every detect_every frames, there would be 30: 1 + 6 to find the face again + 9
  // tile sweeps + 1 whole-frame sweep at most.
  EXPECT_LE(detections, 19);
  // The face found again at least every half second and a bit (the frame a detection is due).
  EXPECT_GE(detections, static_cast<int>(frames.size() / (0.5 * kFps + every)));

  // Zoom, pan and roll neither.
  int doubtful = 0;
  for (const tracking::TrackerTimings& t : ZoomForwards().timings) doubtful += t.doubtful;
  EXPECT_EQ(doubtful, 0);
}

TEST_F(FaceTrackerTest, SmallFacesComingIntoAStillSceneAreWarpedWithinThreeFrames) {
  // A still 1280x720 scene (the still clip's backdrop, enlarged, with its noise); then group6's
  // four faces, about 45 pixels wide, come into its lower right, where only the detector's
  // small-face tiles find them. The tile showing something new is looked at first.
  const std::vector<cv::Mat>& still = Still();
  ASSERT_EQ(still.size(), 90u);
  const cv::Mat photo = cv::imread(testdata::AssetPath("group6.jpg"));
  ASSERT_FALSE(photo.empty());
  cv::Mat faces;
  cv::resize(photo, faces, cv::Size(), 0.15, 0.15, cv::INTER_AREA);
  constexpr int kCome = 20;
  std::vector<cv::Mat> frames;
  for (int i = 0; i < kCome + 10; ++i) {
    cv::Mat f;
    cv::resize(still[i](cv::Rect(420, 0, 220, 124)), f, cv::Size(1280, 720), 0.0, 0.0,
               cv::INTER_LINEAR);
    if (i >= kCome) {
      faces.copyTo(
          f(cv::Rect(1280 - 40 - faces.cols, 720 - 40 - faces.rows, faces.cols, faces.rows)));
    }
    frames.push_back(f);
  }
  const TrackRun run = Track(*analyzer_, frames, core::DefaultParams());
  for (int i = 0; i < kCome; ++i) EXPECT_TRUE(run.faces[i].empty()) << "frame " << i;
  int all = -1;
  for (size_t i = kCome; i < frames.size() && all < 0; ++i) {
    if (run.faces[i].size() >= 4u) all = static_cast<int>(i);
  }
  std::printf("  four faces come on frame %d: all warped from frame %d\n", kCome, all);
  ASSERT_GE(all, kCome) << "not all four faces were found";
  EXPECT_LE(all - kCome, 3);
}

TEST_F(FaceTrackerTest, WarpsNothingOnAClipWithoutFaces) {
  // The shuttle model and backdrop right of the astronaut, enlarged, with the clip's noise.
  // Full size: the detector's tiles see the backdrop at up to 5x the frame's scale.
  const std::vector<cv::Mat>& still = Still();
  ASSERT_EQ(still.size(), 90u);
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 30; ++i) {
    cv::Mat f;
    cv::resize(still[i](cv::Rect(420, 0, 220, 220)), f, still[i].size());
    frames.push_back(f);
  }
  const TrackRun run = Track(*analyzer_, frames, core::DefaultParams());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_TRUE(run.faces[i].empty()) << "frame " << i << ": a face warped at "
                                      << run.faces[i][0].box.x << "," << run.faces[i][0].box.y;
  }
}

TEST_F(FaceTrackerTest, AsynchronousDetectionHoldsNoFrameAndStillFindsNewFaces) {
  // Three faces at 1280x720 come after a third of a second of grey. The frame a detection is
  // requested on never takes that result (Process hands it over and returns); a later frame
  // does. Each detection is awaited before the next frame, so the frames that take results,
  // and the faces, are the same however loaded the machine is.
  const std::vector<cv::Mat> all = ReadClip("group3_pan_1280x720.mp4");
  ASSERT_GE(all.size(), 20u);
  constexpr int kCome = 10;
  std::vector<cv::Mat> frames(kCome, cv::Mat(all[0].size(), CV_8UC3, cv::Scalar(128, 128, 128)));
  frames.insert(frames.end(), all.begin(), all.begin() + 20);
  const core::Params params = core::DefaultParams();

  tracking::FaceTracker tracker(*analyzer_, {}, tracking::DetectionMode::kAsynchronous);
  int requested = 0, results = 0, all_warped = -1;
  bool awaiting = false;
  for (size_t i = 0; i < frames.size(); ++i) {
    tracking::TrackerTimings timings;
    const core::Faces faces = tracker.Process(frames[i], i / kFps, params, &timings);
    if (i < kCome) {
      EXPECT_TRUE(faces.empty()) << "frame " << i;
    }
    // A result is taken exactly on the frame after its request.
    if (i > 0) {
      EXPECT_EQ(timings.detected, awaiting) << "frame " << i;
    }
    requested += timings.requested ? 1 : 0;
    results += timings.detected ? 1 : 0;
    awaiting = timings.requested;
    if (awaiting) tracker.WaitForDetection();
    if (all_warped < 0 && faces.size() == 3u) all_warped = static_cast<int>(i);
  }
  std::printf(
      "  %d requests, %d results; three faces warped from frame %d (they come on frame %d)\n",
      requested, results, all_warped, kCome);
  EXPECT_GT(requested, 3);
  EXPECT_GT(results, 3);
  ASSERT_GE(all_warped, kCome);
  // Requested on the frame they come (at the latest detect_every frames later), taken on the
  // next: warped within detect_every + 1 frames.
  EXPECT_LE(all_warped - kCome, static_cast<int>(params.detect_every) + 1);
}

TEST_F(FaceTrackerTest, AsynchronousTrackerWarpsTheFirstFrameAtOnceAndAgainAfterReset) {
  const std::vector<cv::Mat>& still = Still();
  ASSERT_GE(still.size(), 2u);
  tracking::FaceTracker tracker(*analyzer_, {}, tracking::DetectionMode::kAsynchronous);
  const core::Params params = core::DefaultParams();
  core::Faces faces = tracker.Process(still[0], 0.0, params);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].weight, 1.0);
  // A detection is under way (requested by the first frame or the next); Reset drops it.
  tracker.Process(still[1], 1 / kFps, params);
  tracker.Reset();
  EXPECT_EQ(tracker.tracked(), 0);
  faces = tracker.Process(still[1], 10.0, params);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].weight, 1.0);
}

}  // namespace
}  // namespace fw
