// The one letterbox computation (core/fit.h), as the preview and the fixed-size outputs use it.
#include "core/fit.h"

#include <gtest/gtest.h>

namespace fw::core {
namespace {

TEST(FitInside, KeepsTheAspectRatioAndCentres) {
  const PixelRect wide = FitInside(1280, 720, 1000, 1000, false);
  EXPECT_EQ(wide.width, 1000);
  EXPECT_EQ(wide.height, 563);
  EXPECT_EQ(wide.x, 0);
  EXPECT_EQ(wide.y, 218);
  const PixelRect tall = FitInside(100, 200, 400, 200, false);
  EXPECT_EQ(tall.width, 100);
  EXPECT_EQ(tall.height, 200);
  EXPECT_EQ(tall.x, 150);
  EXPECT_EQ(FitInside(0, 10, 10, 10, false).width, 0);
  EXPECT_EQ(FitInside(10, 10, 10, -1, true).height, 0);
}

TEST(FitInside, KeepsChromaPairsWholeOnEvenOutputsWhenAsked) {
  // 1000 x 562.5: the height rounds to an even 562, the offset (219) down to 218.
  const PixelRect even = FitInside(1280, 720, 1000, 1000, true);
  EXPECT_EQ(even.width, 1000);
  EXPECT_EQ(even.height, 562);
  EXPECT_EQ(even.y, 218);
  // An odd output length is left as it is.
  const PixelRect odd = FitInside(1280, 720, 1001, 999, true);
  EXPECT_EQ(odd.width, 1001);
  EXPECT_EQ(odd.height, 563);
  EXPECT_EQ(odd.y, 218);
}

}  // namespace
}  // namespace fw::core
