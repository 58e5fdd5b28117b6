// NoveltyMap on real pictures: a still noisy scene shows nothing new, a pan shows only the strip
// that comes into view, something that appears (suddenly or slowly) is new where it appears
// and only there until a pass looks, and nothing near a followed face is new.
#include "tracking/novelty_map.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace fw::tracking {
namespace {

cv::Mat Grey(const std::string& asset) {
  cv::Mat bgr = cv::imread(std::string(FACEWARP_SOURCE_DIR) + "/assets/" + asset);
  cv::Mat grey;
  if (!bgr.empty()) cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  return grey;
}

// The photo with camera-like noise (sd 3 levels), a different draw each frame.
cv::Mat Noisy(const cv::Mat& grey, int seed) {
  cv::Mat noise(grey.size(), CV_16S);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 3.0);
  cv::Mat out;
  cv::add(grey, noise, out, cv::noArray(), CV_8U);
  return out;
}

const core::Rect kLeft{0.0, 0.0, 400.0, 400.0};

core::Rect RightHalf(const cv::Mat& frame) {
  return core::Rect{frame.cols / 2.0, 0.0, frame.cols / 2.0, static_cast<double>(frame.rows)};
}

core::Rect LeftHalf(const cv::Mat& frame) {
  return core::Rect{0.0, 0.0, frame.cols / 2.0, static_cast<double>(frame.rows)};
}

TEST(NoveltyMap, AStillNoisySceneShowsNothingNew) {
  const cv::Mat photo = Grey("group3.jpg");
  ASSERT_FALSE(photo.empty());
  NoveltyMap map;
  for (int i = 0; i < 60; ++i) {
    map.Update(Noisy(photo, i), {});
    EXPECT_FALSE(map.NewForWhole()) << "frame " << i;
  }
  EXPECT_EQ(map.NewInTile(LeftHalf(photo)) + map.NewInTile(RightHalf(photo)), 0);
}

TEST(NoveltyMap, APanShowsOnlyTheStripThatComesIntoView) {
  // A 640x360 window sliding right over the photo by 3 pixels a frame: new content comes in
  // on the right edge only.
  const cv::Mat photo = Grey("group6.jpg");
  ASSERT_FALSE(photo.empty());
  ASSERT_GE(photo.cols, 640 + 3 * 40);
  ASSERT_GE(photo.rows, 360);
  NoveltyMap map;
  cv::Mat frame;
  for (int i = 0; i < 40; ++i) {
    frame = Noisy(photo(cv::Rect(3 * i, 0, 640, 360)), i);
    map.Update(frame, {});
  }
  EXPECT_TRUE(map.NewForWhole());
  const core::Rect right_strip{560.0, 0.0, 80.0, 360.0};
  const core::Rect rest{0.0, 0.0, 520.0, 360.0};
  EXPECT_GT(map.NewInTile(right_strip), 0);
  EXPECT_EQ(map.NewInTile(rest), 0);
}

TEST(NoveltyMap, APersonSwayingBeforeAStillBackgroundIsNotTakenForAPan) {
  // A head and shoulders (the astronaut photo, 200 pixels, around a followed 110-pixel face
  // box) sway left and right by 4 pixels a frame before a still room (group3's photo, dimmed
  // and enlarged): the picture's strongest motion is the person's, not the camera's. Nothing
  // comes into view at the edges and the room is not new.
  const cv::Mat person = Grey("astronaut.png");
  const cv::Mat room = Grey("group3.jpg");
  ASSERT_FALSE(person.empty());
  ASSERT_FALSE(room.empty());
  cv::Mat head, backdrop;
  cv::resize(person, head, cv::Size(200, 200), 0.0, 0.0, cv::INTER_AREA);
  cv::resize(room(cv::Rect(0, 0, 640, 360)), backdrop, cv::Size(640, 360));
  NoveltyMap map;
  for (int i = 0; i < 40; ++i) {
    cv::Mat frame = Noisy(backdrop, i);
    const int x = 200 + 4 * ((i % 10 < 5) ? i % 10 : 10 - i % 10);
    head.copyTo(frame(cv::Rect(x, 120, 200, 200)));
    const core::Rect face{x + 45.0, 165.0, 110.0, 110.0};
    map.Update(frame, {face});
  }
  const core::Rect left_edge{0.0, 0.0, 60.0, 360.0};
  const core::Rect right_edge{580.0, 0.0, 60.0, 360.0};
  EXPECT_EQ(map.NewInTile(left_edge), 0);
  EXPECT_EQ(map.NewInTile(right_edge), 0);
  EXPECT_FALSE(map.NewForWhole());
}

TEST(NoveltyMap, WhatAppearsIsNewThereUntilEachPassLooks) {
  const cv::Mat photo = Grey("group3.jpg");
  const cv::Mat patch = Grey("astronaut.png");
  ASSERT_FALSE(photo.empty());
  ASSERT_FALSE(patch.empty());
  NoveltyMap map;
  map.Update(Noisy(photo, 0), {});
  cv::Mat changed = Noisy(photo, 1);
  // A face-sized patch appears in the left half.
  cv::Mat small;
  cv::resize(patch, small, cv::Size(80, 80), 0.0, 0.0, cv::INTER_AREA);
  small.copyTo(changed(cv::Rect(60, 60, 80, 80)));
  map.Update(changed, {});
  EXPECT_TRUE(map.NewForWhole());
  EXPECT_GT(map.NewInTile(LeftHalf(photo)), 0);
  EXPECT_EQ(map.NewInTile(RightHalf(photo)), 0);
  // Each pass clears its own mark.
  map.ClearWhole();
  EXPECT_FALSE(map.NewForWhole());
  EXPECT_GT(map.NewInTile(LeftHalf(photo)), 0);
  map.ClearTile(LeftHalf(photo));
  EXPECT_EQ(map.NewInTile(LeftHalf(photo)), 0);
  // It stays, so nothing more is new.
  map.Update(changed, {});
  EXPECT_FALSE(map.NewForWhole());
  EXPECT_EQ(map.NewInTile(LeftHalf(photo)), 0);
}

TEST(NoveltyMap, ASlowChangeAddsUpToNew) {
  // A patch fading in by 2% a frame: no frame differs much from the one before, but the
  // change since the last look grows past the mark.
  const cv::Mat photo = Grey("group3.jpg");
  ASSERT_FALSE(photo.empty());
  NoveltyMap map;
  map.Update(photo, {});
  const cv::Rect where(500, 100, 96, 96);
  bool seen = false;
  int frame = 0;
  for (; frame < 50 && !seen; ++frame) {
    cv::Mat f = photo.clone();
    cv::Mat region = f(where);
    region.convertTo(region, CV_8U, 1.0, 0.02 * (frame + 1) * 120.0);
    map.Update(f, {});
    seen = map.NewForWhole();
  }
  EXPECT_TRUE(seen);
  EXPECT_GT(frame, 1) << "a 2.4-level step should not be new at once";
  EXPECT_GT(map.NewInTile(core::Rect{480.0, 80.0, 140.0, 140.0}), 0);
}

TEST(NoveltyMap, NothingAroundAFollowedFaceIsNew) {
  const cv::Mat photo = Grey("group3.jpg");
  ASSERT_FALSE(photo.empty());
  NoveltyMap map;
  map.Update(photo, {kLeft});
  cv::Mat changed = photo.clone();
  changed(cv::Rect(100, 100, 200, 200)).setTo(255);
  map.Update(changed, {kLeft});
  EXPECT_FALSE(map.NewForWhole());
  // Without the face, the same change is new.
  NoveltyMap unfollowed;
  unfollowed.Update(photo, {});
  unfollowed.Update(changed, {});
  EXPECT_TRUE(unfollowed.NewForWhole());
}

TEST(NoveltyMap, ACutMarksEverythingAndAnotherSizeStartsClean) {
  const cv::Mat a = Grey("group3.jpg");
  const cv::Mat b = Grey("group6.jpg");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  cv::Mat b_same;
  cv::resize(b, b_same, a.size());
  NoveltyMap map;
  map.Update(a, {});
  map.Update(b_same, {});
  EXPECT_TRUE(map.NewForWhole());
  EXPECT_GT(map.NewInTile(RightHalf(a)), 0);
  cv::Mat other;
  cv::resize(b, other, cv::Size(320, 240));
  map.Update(other, {});
  EXPECT_FALSE(map.NewForWhole());
}

}  // namespace
}  // namespace fw::tracking
