// BGR -> I420 and BGR -> YUYV against a plain BT.601 limited-range (studio swing) reference on
// real images.
#include "output/color_convert.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "support/io_test_support.h"
#include "support/yuv_reference.h"

namespace fw::output {
namespace {

struct Planes {
  std::vector<int> y, u, v;
};

// Which form of the BT.601 studio-swing formulas the reference uses.
enum class Formulas {
  kExact,     // real-valued coefficients (65.481, 128.553, 24.966; 112 / 255...)
  kEightBit,  // the usual 8-bit integer form: Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16
};

// The textbook conversion, computed directly: Y per pixel; each chroma sample from the mean
// colour of the pixels of its 2x2 block that lie inside the image.
Planes Reference(const cv::Mat& bgr, Formulas formulas) {
  const bool exact = formulas == Formulas::kExact;
  const I420Layout layout = I420Layout::For(bgr.cols, bgr.rows);
  Planes p;
  p.y.resize(layout.y_size());
  p.u.resize(layout.chroma_size());
  p.v.resize(layout.chroma_size());
  for (int r = 0; r < bgr.rows; ++r) {
    for (int c = 0; c < bgr.cols; ++c) {
      const cv::Vec3b px = bgr.at<cv::Vec3b>(r, c);
      const int y = exact ? static_cast<int>(std::lround(
                                16.0 + (65.481 * px[2] + 128.553 * px[1] + 24.966 * px[0]) / 255.0))
                          : ((66 * px[2] + 129 * px[1] + 25 * px[0] + 128) >> 8) + 16;
      p.y[static_cast<size_t>(r) * bgr.cols + c] = y;
    }
  }
  for (int cr = 0; cr < layout.chroma_height; ++cr) {
    for (int cc = 0; cc < layout.chroma_width; ++cc) {
      double b = 0.0, g = 0.0, rr = 0.0;
      int n = 0;
      for (int r = 2 * cr; r < std::min(2 * cr + 2, bgr.rows); ++r) {
        for (int c = 2 * cc; c < std::min(2 * cc + 2, bgr.cols); ++c) {
          const cv::Vec3b px = bgr.at<cv::Vec3b>(r, c);
          b += px[0];
          g += px[1];
          rr += px[2];
          ++n;
        }
      }
      b /= n;
      g /= n;
      rr /= n;
      const size_t i = static_cast<size_t>(cr) * layout.chroma_width + cc;
      if (exact) {
        p.u[i] =
            static_cast<int>(std::lround(128.0 + (-37.797 * rr - 74.203 * g + 112.0 * b) / 255.0));
        p.v[i] =
            static_cast<int>(std::lround(128.0 + (112.0 * rr - 93.786 * g - 18.214 * b) / 255.0));
      } else {
        p.u[i] =
            static_cast<int>(std::floor((112.0 * b - 74.0 * g - 38.0 * rr + 128.0) / 256.0)) + 128;
        p.v[i] =
            static_cast<int>(std::floor((112.0 * rr - 94.0 * g - 18.0 * b + 128.0) / 256.0)) + 128;
      }
    }
  }
  return p;
}

struct Diff {
  int max = 0;
  double fraction_over_one = 0.0;  // share of samples more than 1 level apart
};

Diff Compare(const uint8_t* got, const std::vector<int>& want) {
  Diff d;
  size_t over_one = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const int e = std::abs(got[i] - want[i]);
    d.max = std::max(d.max, e);
    if (e > 1) ++over_one;
  }
  d.fraction_over_one = static_cast<double>(over_one) / static_cast<double>(want.size());
  return d;
}

struct PlaneDiffs {
  Diff y, u, v;
};

PlaneDiffs ConvertAndCompare(const cv::Mat& bgr, Formulas formulas) {
  std::vector<uint8_t> i420;
  EXPECT_TRUE(BgrToI420(bgr, i420).ok());
  const I420Layout layout = I420Layout::For(bgr.cols, bgr.rows);
  EXPECT_EQ(i420.size(), layout.total_size());
  if (i420.size() != layout.total_size()) return {};
  const Planes want = Reference(bgr, formulas);
  const uint8_t* y = i420.data();
  const uint8_t* u = y + layout.y_size();
  const uint8_t* v = u + layout.chroma_size();
  return {Compare(y, want.y), Compare(u, want.u), Compare(v, want.v)};
}

void ExpectWithinOneLevel(const cv::Mat& bgr) {
  const PlaneDiffs d = ConvertAndCompare(bgr, Formulas::kEightBit);
  EXPECT_LE(d.y.max, 1) << bgr.cols << "x" << bgr.rows << " Y";
  EXPECT_LE(d.u.max, 1) << bgr.cols << "x" << bgr.rows << " U";
  EXPECT_LE(d.v.max, 1) << bgr.cols << "x" << bgr.rows << " V";
}

cv::Mat LoadAsset(const char* name) {
  cv::Mat image = cv::imread(iotest::Asset(name), cv::IMREAD_COLOR);
  EXPECT_FALSE(image.empty()) << name;
  return image;
}

TEST(ColorConvert, MatchesEightBitBt601ReferenceOnRealImagesWithinOneLevel) {
  ExpectWithinOneLevel(LoadAsset("astronaut.png"));
  ExpectWithinOneLevel(LoadAsset("group3.jpg"));
}

// libyuv's 8-bit chroma coefficients (112, 74, 38 over 256) are about 0.4% smaller than the
// exact ones, so strongly coloured pixels may land 2 levels from the real-valued formulas.
TEST(ColorConvert, StaysCloseToExactBt601Formulas) {
  for (const char* name : {"astronaut.png", "group3.jpg"}) {
    const PlaneDiffs d = ConvertAndCompare(LoadAsset(name), Formulas::kExact);
    EXPECT_LE(d.y.max, 1) << name;
    EXPECT_LE(d.u.max, 2) << name;
    EXPECT_LE(d.v.max, 2) << name;
    EXPECT_LT(d.u.fraction_over_one, 0.001) << name;
    EXPECT_LT(d.v.fraction_over_one, 0.001) << name;
  }
}

TEST(ColorConvert, MatchesReferenceOnOddSizesIncludingLastRowAndColumn) {
  const cv::Mat astronaut = LoadAsset("astronaut.png");
  for (const cv::Size size : {cv::Size(511, 509), cv::Size(301, 200), cv::Size(200, 301),
                              cv::Size(1, 1), cv::Size(3, 1), cv::Size(1, 3)}) {
    // An offset crop, so the rows are not contiguous: the stride is honoured.
    ExpectWithinOneLevel(astronaut(cv::Rect(cv::Point(1, 1), size)));
  }
}

TEST(ColorConvert, ChromaPlanesRoundOddSizesUp) {
  const I420Layout layout = I420Layout::For(511, 509);
  EXPECT_EQ(layout.chroma_width, 256);
  EXPECT_EQ(layout.chroma_height, 255);
  EXPECT_EQ(layout.total_size(), 511u * 509u + 2u * 256u * 255u);
}

TEST(ColorConvert, BlackAndWhiteMapToStudioSwingLimits) {
  std::vector<uint8_t> i420;
  ASSERT_TRUE(BgrToI420(cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(0)), i420).ok());
  EXPECT_EQ(i420[0], 16);
  EXPECT_NEAR(i420[16], 128, 1);
  ASSERT_TRUE(BgrToI420(cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(255)), i420).ok());
  EXPECT_NEAR(i420[0], 235, 1);
  EXPECT_NEAR(i420[16], 128, 1);
}

TEST(ColorConvert, RejectsImagesThatAreNotEightBitBgr) {
  std::vector<uint8_t> i420;
  EXPECT_FALSE(BgrToI420(cv::Mat(4, 4, CV_8UC4, cv::Scalar::all(0)), i420).ok());
  EXPECT_FALSE(BgrToI420(cv::Mat(4, 4, CV_16UC3, cv::Scalar::all(0)), i420).ok());
  EXPECT_FALSE(BgrToI420(cv::Mat(), i420).ok());
}

void ExpectYuyvWithinOneLevel(const cv::Mat& bgr) {
  std::vector<uint8_t> yuyv;
  ASSERT_TRUE(BgrToYuyv(bgr, yuyv).ok());
  ASSERT_EQ(yuyv.size(), static_cast<size_t>(bgr.cols) * bgr.rows * 2);
  EXPECT_LE(iotest::MaxDifference(yuyv.data(), iotest::ReferenceYuyv(bgr)), 1)
      << bgr.cols << "x" << bgr.rows;
}

TEST(ColorConvert, YuyvMatchesEightBitBt601ReferenceOnRealImagesWithinOneLevel) {
  ExpectYuyvWithinOneLevel(LoadAsset("astronaut.png"));
  ExpectYuyvWithinOneLevel(LoadAsset("group3.jpg"));
}

TEST(ColorConvert, YuyvHonoursTheStrideAndRowsWiderThanOneChunk) {
  const cv::Mat group = LoadAsset("group3.jpg");
  // Offset crops: rows are not contiguous; 1502 pixels span two of the converter's chunks.
  ExpectYuyvWithinOneLevel(group(cv::Rect(1, 1, 1502, 64)));
  ExpectYuyvWithinOneLevel(group(cv::Rect(3, 5, 2, 1)));
}

TEST(ColorConvert, YuyvBytesAreY0UY1V) {
  // Pure blue: low Y, U far above 128, V below it (libyuv's YUY2 is V4L2's YUYV).
  std::vector<uint8_t> yuyv;
  ASSERT_TRUE(BgrToYuyv(cv::Mat(1, 2, CV_8UC3, cv::Scalar(255, 0, 0)), yuyv).ok());
  ASSERT_EQ(yuyv.size(), 4u);
  EXPECT_NEAR(yuyv[0], 41, 1);
  EXPECT_NEAR(yuyv[1], 240, 1);
  EXPECT_NEAR(yuyv[2], 41, 1);
  EXPECT_NEAR(yuyv[3], 110, 1);
}

TEST(ColorConvert, YuyvKeepsEachRowsOwnColour) {
  // Red and blue rows alternate: 4:2:2 keeps their chroma apart, 4:2:0 would average it.
  cv::Mat stripes(4, 4, CV_8UC3);
  for (int r = 0; r < 4; ++r) {
    stripes.row(r).setTo(r % 2 == 0 ? cv::Scalar(0, 0, 255) : cv::Scalar(255, 0, 0));
  }
  std::vector<uint8_t> yuyv;
  ASSERT_TRUE(BgrToYuyv(stripes, yuyv).ok());
  EXPECT_LE(iotest::MaxDifference(yuyv.data(), iotest::ReferenceYuyv(stripes)), 1);
  EXPECT_GT(yuyv[8 * 1 + 1] - yuyv[1], 100);  // U of the blue row vs the red row
}

TEST(ColorConvert, YuyvBlackAndWhiteMapToStudioSwingLimits) {
  std::vector<uint8_t> yuyv;
  ASSERT_TRUE(BgrToYuyv(cv::Mat(2, 4, CV_8UC3, cv::Scalar::all(0)), yuyv).ok());
  for (size_t i = 0; i < yuyv.size(); ++i) EXPECT_EQ(yuyv[i], i % 2 == 0 ? 16 : 128) << i;
  ASSERT_TRUE(BgrToYuyv(cv::Mat(2, 4, CV_8UC3, cv::Scalar::all(255)), yuyv).ok());
  EXPECT_NEAR(yuyv[0], 235, 1);
  EXPECT_NEAR(yuyv[1], 128, 1);
}

TEST(ColorConvert, YuyvRejectsOddWidthsAndImagesThatAreNotEightBitBgr) {
  std::vector<uint8_t> yuyv;
  EXPECT_FALSE(BgrToYuyv(cv::Mat(4, 3, CV_8UC3, cv::Scalar::all(0)), yuyv).ok());
  EXPECT_FALSE(BgrToYuyv(cv::Mat(4, 4, CV_8UC4, cv::Scalar::all(0)), yuyv).ok());
  EXPECT_FALSE(BgrToYuyv(cv::Mat(), yuyv).ok());
}

}  // namespace
}  // namespace fw::output
