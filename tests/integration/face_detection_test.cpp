// FaceAnalyzer::Detect on the bundled photos and the VOC faces, with BlazeFace (the default)
// and with dlib's HOG: the faces found, their order, BlazeFace's keypoints on the eyes, nose and
// mouth, the predictor box calibrated on dlib's own boxes, the badges rejected, images
// without faces, and the tiles a followed video frame runs. Test thread only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>

#include "core/params.h"
#include "integration/face_test_data.h"
#include "tracking/blazeface.h"
#include "tracking/face_analyzer.h"

namespace fw {
namespace {

// Landmarks on BlazeFace's predictor box against dlib's on its own box (VOC annotations), eye
// distances (measured: median 0.028, worst 0.092).
constexpr double kMedianBoxError = 0.04;
constexpr double kWorstBoxError = 0.12;

// HOG on still images: the 1920-pixel photos searched at 1280 pixels, where every face scores
// at least 0.35 (at 640, the video default, group3's tilted middle face scores 0.01).
core::Params StillImageParams() {
  core::Params p = core::DefaultParams();
  p.detector = 1;
  p.detect_width = 1280;
  return p;
}

// BlazeFace on still images as the app runs it: at the photo's full resolution.
core::Params CnnParams(const cv::Mat& image) {
  core::Params p = core::DefaultParams();
  p.detector = 0;
  p.detect_width = std::max(image.cols, 160);
  return p;
}

// BlazeFace is installed by scripts/setup, a build step like the landmark model: its absence
// fails these tests.
#define FW_REQUIRE_CNN(analyzer)              \
  ASSERT_TRUE((analyzer)->has_cnn_detector()) \
      << "no BlazeFace model: run scripts/setup (" << (analyzer)->detector_notice() << ")"

core::Vec2 MeanOf(const core::Face& f, int first, int last) {
  core::Vec2 sum;
  for (int i = first; i <= last; ++i) sum = sum + f.points[i];
  return (1.0 / (last - first + 1)) * sum;
}

// BlazeFace's keypoints lie on the eyes, nose and mouth that the 68 landmarks of `reference`
// (by default the detection's own) put there: each within 0.35 eye distances of the matching
// landmarks' centre (the eye rings' centres, the nose tip, the mouth's centre).
void ExpectKeypointsOnTheFace(const tracking::Detection& d, const core::Face* reference = nullptr) {
  ASSERT_TRUE(d.cnn);
  const core::Face& f = reference != nullptr ? *reference : d.face;
  const double iod = core::OuterEyeDistance(f);
  const core::Vec2 eye_l = MeanOf(f, 36, 41), eye_r = MeanOf(f, 42, 47);
  const core::Vec2 nose = f.points[30], mouth = MeanOf(f, 48, 67);
  EXPECT_LT(core::Distance(d.keypoints[tracking::bf::kLeftEye], eye_l), 0.35 * iod);
  EXPECT_LT(core::Distance(d.keypoints[tracking::bf::kRightEye], eye_r), 0.35 * iod);
  EXPECT_LT(core::Distance(d.keypoints[tracking::bf::kNose], nose), 0.35 * iod);
  EXPECT_LT(core::Distance(d.keypoints[tracking::bf::kMouth], mouth), 0.35 * iod);
}

cv::Mat Load(const std::string& name) {
  cv::Mat image = cv::imread(testdata::AssetPath(name));
  EXPECT_FALSE(image.empty()) << testdata::AssetPath(name);
  return image;
}

void ExpectInsideFrame(const core::Faces& faces, const cv::Mat& image) {
  for (const core::Face& f : faces) {
    for (const core::Vec2& p : f.points) {
      EXPECT_TRUE(p.x >= 0 && p.y >= 0 && p.x <= image.cols - 1 && p.y <= image.rows - 1)
          << "point (" << p.x << ", " << p.y << ") of the face at " << f.box.x << "," << f.box.y;
    }
  }
}

void ExpectLargestFirst(const core::Faces& faces) {
  for (size_t i = 1; i < faces.size(); ++i) {
    EXPECT_GE(faces[i - 1].box.Area(), faces[i].box.Area());
  }
}

void PrintDetections(tracking::FaceAnalyzer* analyzer, const cv::Mat& image,
                     const core::Params& params) {
  for (const tracking::Detection& d : analyzer->DetectAll(image, params)) {
    std::printf("  box (%.0f, %.0f, %.0f) score %.3f aligned %.3f %s\n", d.face.box.x, d.face.box.y,
                d.face.box.w, d.score, d.aligned_score, d.plausible ? "face" : "rejected");
  }
}

TEST(FaceDetection, FindsOnlyTheRealFaceOnTheAstronautNotHerMissionPatch) {
  FW_REQUIRE_ANALYZER(analyzer);
  const cv::Mat image = Load("astronaut.png");
  // HOG takes the patch for a face, and the aligned re-score must reject it; BlazeFace never
  // reports it.
  for (const core::Params& params : {StillImageParams(), CnnParams(image)}) {
    PrintDetections(analyzer, image, params);
    const core::Faces faces = analyzer->Detect(image, params);
    ASSERT_EQ(faces.size(), 1u) << "detector " << params.detector;
    // Eileen Collins' face spans about x 180-270, y 80-180; the patch lies below y 330.
    for (const core::Vec2& p : faces[0].points) {
      EXPECT_TRUE(p.x > 160 && p.x < 290 && p.y > 80 && p.y < 200) << p.x << ", " << p.y;
    }
  }
  EXPECT_GE(analyzer->DetectAll(image, StillImageParams()).size(), 2u);
  FW_REQUIRE_CNN(analyzer);
  const std::vector<tracking::Detection> cnn = analyzer->DetectAll(image, CnnParams(image));
  ASSERT_EQ(cnn.size(), 1u);
  ExpectKeypointsOnTheFace(cnn[0]);
}

TEST(FaceDetection, FindsThreeFacesInGroup1ButNotTheShoulderPatch) {
  FW_REQUIRE_ANALYZER(analyzer);
  const cv::Mat image = Load("group1.jpg");
  FW_REQUIRE_CNN(analyzer);
  for (double width : {1280.0, 1920.0}) {
    for (double detector : {0.0, 1.0}) {
      core::Params params = StillImageParams();
      params.detect_width = width;
      params.detector = detector;
      PrintDetections(analyzer, image, params);
      const core::Faces faces = analyzer->Detect(image, params);
      EXPECT_EQ(faces.size(), 3u) << "detect_width " << width << ", detector " << detector;
      for (const core::Face& f : faces) EXPECT_GT(f.box.w, 150) << "the patch is ~105 px wide";
    }
  }
}

TEST(FaceDetection, FindsThreeFacesInGroup3) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  const cv::Mat image = Load("group3.jpg");
  for (const core::Params& params : {StillImageParams(), CnnParams(image)}) {
    PrintDetections(analyzer, image, params);
    const core::Faces faces = analyzer->Detect(image, params);
    EXPECT_EQ(faces.size(), 3u) << "detector " << params.detector;
    ExpectInsideFrame(faces, image);
    ExpectLargestFirst(faces);
  }
  for (const tracking::Detection& d : analyzer->DetectAll(image, CnnParams(image))) {
    ExpectKeypointsOnTheFace(d);
  }
}

// A large photo with mid-sized faces: group3 shrunk to 25-45% in a 1920x1350 frame (faces of
// 55 to 110 pixels), too large for the full-resolution tiles and too small for the whole
// frame seen at 256 pixels; the halved frame's tiles find them. Each of the three faces found
// on the photo itself is found again where it went.
TEST(FaceDetection, FindsMidSizedFacesInALargePhoto) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  const cv::Mat photo = Load("group3.jpg");
  const core::Faces reference = analyzer->Detect(photo, CnnParams(photo));
  ASSERT_EQ(reference.size(), 3u);
  for (const double scale : {0.25, 0.3, 0.35, 0.45}) {
    cv::Mat image(1350, 1920, CV_8UC3, cv::Scalar(128, 128, 128));
    cv::Mat small;
    cv::resize(photo, small, cv::Size(), scale, scale, cv::INTER_AREA);
    const cv::Point at((image.cols - small.cols) / 2, (image.rows - small.rows) / 2);
    small.copyTo(image(cv::Rect(at.x, at.y, small.cols, small.rows)));
    const core::Faces faces = analyzer->Detect(image, CnnParams(image));
    for (const core::Face& f : reference) {
      const core::Rect where{at.x + scale * f.box.x, at.y + scale * f.box.y, scale * f.box.w,
                             scale * f.box.h};
      double best = 0.0;
      for (const core::Face& g : faces) best = std::max(best, core::Iou(where, g.box));
      EXPECT_GT(best, 0.4) << "scale " << scale << ": the face " << where.w << " pixels wide at "
                           << where.x << "," << where.y;
    }
  }
}

TEST(FaceDetection, FindsFourFacesInGroup6) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  const cv::Mat image = Load("group6.jpg");
  for (const core::Params& params : {StillImageParams(), CnnParams(image)}) {
    PrintDetections(analyzer, image, params);
    const core::Faces faces = analyzer->Detect(image, params);
    EXPECT_EQ(faces.size(), 4u) << "detector " << params.detector;
    ExpectInsideFrame(faces, image);
    ExpectLargestFirst(faces);
  }
  for (const tracking::Detection& d : analyzer->DetectAll(image, CnnParams(image))) {
    ExpectKeypointsOnTheFace(d);
  }
}

TEST(FaceDetection, FindsFiveFacesAtSeveralDepthsInGroup5) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  const cv::Mat image = Load("group5.jpg");
  for (const core::Params& params : {StillImageParams(), CnnParams(image)}) {
    PrintDetections(analyzer, image, params);
    const core::Faces faces = analyzer->Detect(image, params);
    ASSERT_EQ(faces.size(), 5u) << "detector " << params.detector;
    ExpectInsideFrame(faces, image);
    ExpectLargestFirst(faces);
    EXPECT_GT(faces.front().box.w / faces.back().box.w, 1.15) << "faces at different depths";
  }
  for (const tracking::Detection& d : analyzer->DetectAll(image, CnnParams(image))) {
    ExpectKeypointsOnTheFace(d);
  }
}

// A followed video frame runs the small-face tiles only over the faces followed (and one in
// turn). The group photos shrunk into the corner of a 1280x720 frame: faces small enough
// that only tiles find them. Following the faces the full search found finds each of
// them again, on its box; following none finds fewer.
TEST(FaceDetection, AFollowedFrameFindsEveryFollowedFaceAgainWithFewerTiles) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  for (const auto& [name, scale] : {std::pair<const char*, double>{"group5.jpg", 0.25},
                                    std::pair<const char*, double>{"group6.jpg", 0.15}}) {
    const cv::Mat photo = Load(name);
    ASSERT_FALSE(photo.empty());
    cv::Mat image(720, 1280, CV_8UC3, cv::Scalar(128, 128, 128));
    cv::Mat small;
    cv::resize(photo, small, cv::Size(), scale, scale, cv::INTER_AREA);
    small.copyTo(image(cv::Rect(0, 0, small.cols, small.rows)));
    core::Params params = core::DefaultParams();
    params.detector = 0;
    params.detect_width = 1280;
    const core::Faces full = analyzer->Detect(image, params);
    ASSERT_GE(full.size(), 4u) << name;
    tracking::DetectHint none;
    none.tiles = {7};  // a tile far from the faces
    const size_t unfollowed = analyzer->DetectFollowing(image, params, none).size();
    std::printf("  %s at %.2f: %zu faces, %zu without following them\n", name, scale, full.size(),
                unfollowed);
    EXPECT_LT(unfollowed, full.size()) << name << ": the faces do not need tiles";
    tracking::DetectHint hint;
    for (const core::Face& f : full) hint.faces.push_back(f.box);
    for (int turn : {0, 7}) {
      hint.tiles = {turn};
      const core::Faces followed = analyzer->DetectFollowing(image, params, hint);
      EXPECT_EQ(followed.size(), full.size()) << name << " turn " << turn;
      for (const core::Face& f : full) {
        double best = 0.0;
        for (const core::Face& g : followed) best = std::max(best, core::Iou(f.box, g.box));
        EXPECT_GT(best, 0.9) << name << " turn " << turn << ": the face at " << f.box.x << ","
                             << f.box.y;
      }
    }
  }
}

TEST(FaceDetection, GreyInputFindsTheSameFacesAsColour) {
  FW_REQUIRE_ANALYZER(analyzer);
  const cv::Mat image = Load("group3.jpg");
  cv::Mat grey;
  tracking::ToGrey(image, grey);
  const core::Faces a = analyzer->Detect(image, StillImageParams());
  const core::Faces b = analyzer->Detect(grey, StillImageParams());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].box.x, b[i].box.x);
    EXPECT_EQ(a[i].points[30].x, b[i].points[30].x);
  }
}

// The VOC faces are 37-91 pixels, several too small for HOG at 1x: BlazeFace finds every one at
// the photo's own resolution, and the 68 landmarks on its predictor box are the ones dlib's
// predictor gives on dlib's own box (the annotation): the box mapping's calibration.
TEST(FaceDetection, BlazeFaceFindsEveryAnnotatedVocFaceWithDlibsLandmarks) {
  FW_REQUIRE_ANALYZER(analyzer);
  FW_REQUIRE_CNN(analyzer);
  const std::vector<testdata::AnnotatedFace> annotated =
      testdata::ReadImglabXml(testdata::VocXmlPath());
  if (annotated.empty()) GTEST_SKIP() << "test-only data absent: " << testdata::VocXmlPath();
  std::string last;
  std::vector<tracking::Detection> found;
  std::vector<double> errors;
  for (const testdata::AnnotatedFace& a : annotated) {
    const cv::Mat image = cv::imread(testdata::VocDir() + "/" + a.image);
    ASSERT_FALSE(image.empty()) << a.image;
    if (a.image != last) {
      std::printf(" %s\n", a.image.c_str());
      PrintDetections(analyzer, image, CnnParams(image));
      found = analyzer->DetectAll(image, CnnParams(image));
      last = a.image;
    }
    ASSERT_EQ(a.parts.size(), static_cast<size_t>(core::kNumLandmarks));
    const tracking::Detection* best = nullptr;
    double best_iou = 0.0;
    for (const tracking::Detection& d : found) {
      const double iou = core::Iou(d.face.box, a.box);
      if (iou > best_iou) {
        best = &d;
        best_iou = iou;
      }
    }
    ASSERT_NE(best, nullptr) << a.image << " face at " << a.box.x << "," << a.box.y;
    EXPECT_GT(best_iou, 0.5) << a.image << " face at " << a.box.x << "," << a.box.y;
    core::Face reference;
    std::copy(a.parts.begin(), a.parts.end(), reference.points.begin());
    ExpectKeypointsOnTheFace(*best, &reference);
    double e = 0.0;
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      e += core::Distance(best->face.points[i], a.parts[i]);
    }
    e /= core::kNumLandmarks * core::Distance(a.parts[36], a.parts[45]);
    errors.push_back(e);
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  std::printf("  landmarks on the predictor box vs on dlib's box: median %.4f, worst %.4f IOD\n",
              median, errors.back());
  EXPECT_LE(median, kMedianBoxError);
  EXPECT_LE(errors.back(), kWorstBoxError);
}

// HOG's check keeps every VOC face at its annotated box.
TEST(FaceDetection, EveryAnnotatedVocFacePassesTheAlignedCheck) {
  FW_REQUIRE_ANALYZER(analyzer);
  const std::vector<testdata::AnnotatedFace> annotated =
      testdata::ReadImglabXml(testdata::VocXmlPath());
  if (annotated.empty()) GTEST_SKIP() << "test-only data absent: " << testdata::VocXmlPath();
  for (const testdata::AnnotatedFace& a : annotated) {
    const cv::Mat image = cv::imread(testdata::VocDir() + "/" + a.image);
    ASSERT_FALSE(image.empty()) << a.image;
    const double aligned = analyzer->AlignedScore(image, analyzer->Landmarks(image, a.box));
    EXPECT_GE(aligned, tracking::kMinAlignedScore) << a.image << " box " << a.box.x;
  }
}

TEST(FaceDetection, FindsNoFaceOnAFlatGreyImage) {
  FW_REQUIRE_ANALYZER(analyzer);
  const cv::Mat grey(480, 640, CV_8UC3, cv::Scalar(128, 128, 128));
  EXPECT_TRUE(analyzer->DetectAll(grey, StillImageParams()).empty());
  EXPECT_TRUE(analyzer->DetectAll(grey, CnnParams(grey)).empty());
}

TEST(FaceDetection, FindsNoFaceOnBackgroundCrops) {
  FW_REQUIRE_ANALYZER(analyzer);
  // The sky and the shuttle beside the astronaut; the window blinds above group6.
  const cv::Mat astronaut = Load("astronaut.png");
  const cv::Mat group6 = Load("group6.jpg");
  for (const cv::Mat& crop :
       {astronaut(cv::Rect(300, 0, 212, 300)), group6(cv::Rect(300, 0, 500, 250))}) {
    EXPECT_TRUE(analyzer->Detect(crop.clone(), StillImageParams()).empty());
    EXPECT_TRUE(analyzer->Detect(crop.clone(), CnnParams(crop)).empty());
  }
}

TEST(FaceDetection, EmptyAndTinyImagesGiveNoFace) {
  FW_REQUIRE_ANALYZER(analyzer);
  EXPECT_TRUE(analyzer->Detect(cv::Mat(), StillImageParams()).empty());
  EXPECT_TRUE(
      analyzer->Detect(cv::Mat(3, 5, CV_8UC3, cv::Scalar::all(7)), StillImageParams()).empty());
  for (double detector : {0.0, 1.0}) {
    core::Params params = StillImageParams();
    params.detect_width = 160;
    params.detector = detector;
    EXPECT_TRUE(analyzer->Detect(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)), params).empty());
    EXPECT_TRUE(analyzer->Detect(cv::Mat(2, 700, CV_8UC3, cv::Scalar::all(9)), params).empty());
  }
  const core::Face face = analyzer->Landmarks(cv::Mat(), {0, 0, 80, 80});
  EXPECT_TRUE(std::isfinite(face.points[30].x));
}

}  // namespace
}  // namespace fw
