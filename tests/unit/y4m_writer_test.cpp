// YUV4MPEG2 writing: the header, the frame layout, and errors from a closed pipe.
#include "output/y4m_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "output/color_convert.h"
#include "support/io_test_support.h"

namespace fw::output {
namespace {

void ExpectRate(double fps, int num, int den) {
  const Rational r = FpsToRational(fps);
  EXPECT_EQ(r.num, num) << fps;
  EXPECT_EQ(r.den, den) << fps;
}

TEST(Y4mWriter, FrameRatesBecomeExactFractions) {
  ExpectRate(30.0, 30, 1);
  ExpectRate(25.0, 25, 1);
  ExpectRate(60.0, 60, 1);
  ExpectRate(29.97, 30000, 1001);
  ExpectRate(30000.0 / 1001.0, 30000, 1001);
  ExpectRate(23.976, 24000, 1001);
  ExpectRate(59.94, 60000, 1001);
  ExpectRate(12.5, 25, 2);
  ExpectRate(7.3, 73, 10);
  ExpectRate(0.5, 1, 2);
}

TEST(Y4mWriter, UnusableFrameRatesFallBackToThirty) {
  ExpectRate(0.0, 30, 1);
  ExpectRate(-5.0, 30, 1);
  ExpectRate(std::numeric_limits<double>::quiet_NaN(), 30, 1);
  ExpectRate(std::numeric_limits<double>::infinity(), 30, 1);
}

TEST(Y4mWriter, HeaderIsExact) {
  EXPECT_EQ(Y4mHeader(640, 480, 30.0), "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n");
  EXPECT_EQ(Y4mHeader(511, 509, 29.97), "YUV4MPEG2 W511 H509 F30000:1001 Ip A1:1 C420jpeg\n");
}

// Writes frames of `size` cut from astronaut.png and checks the whole file byte for byte.
void ExpectFileLayout(cv::Size size) {
  iotest::TempDir dir;
  const std::string path = dir.File("out.y4m");
  const cv::Mat astronaut = cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR);
  ASSERT_FALSE(astronaut.empty());
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 3; ++i) frames.push_back(astronaut(cv::Rect(cv::Point(i * 2, i), size)));

  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  {
    auto writer = Y4mWriter::Create(fileno(file), path, size.width, size.height, 30.0);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (const cv::Mat& f : frames) ASSERT_TRUE(writer->WriteFrame(f).ok());
    EXPECT_EQ(writer->frames(), 3);
  }
  ASSERT_EQ(std::fclose(file), 0);

  std::string expected = Y4mHeader(size.width, size.height, 30.0);
  for (const cv::Mat& f : frames) {
    std::vector<uint8_t> i420;
    ASSERT_TRUE(BgrToI420(f, i420).ok());
    expected += "FRAME\n";
    expected.append(i420.begin(), i420.end());
  }
  const std::string written = iotest::ReadBytes(path);
  const I420Layout layout = I420Layout::For(size.width, size.height);
  EXPECT_EQ(written.size(), Y4mHeader(size.width, size.height, 30.0).size() +
                                3 * (std::string("FRAME\n").size() + layout.total_size()));
  EXPECT_TRUE(written == expected) << "file content differs from header + FRAME + I420 planes";
}

TEST(Y4mWriter, WritesHeaderThenFrameLinesAndI420Planes) { ExpectFileLayout(cv::Size(320, 240)); }

TEST(Y4mWriter, OddSizesKeepEveryPixel) { ExpectFileLayout(cv::Size(311, 203)); }

TEST(Y4mWriter, RejectsFramesOfAnotherSize) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  auto writer = Y4mWriter::Create(fileno(file), "tmp", 64, 48, 30.0);
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE(writer->WriteFrame(cv::Mat(48, 63, CV_8UC3, cv::Scalar::all(0))).ok());
  EXPECT_EQ(writer->frames(), 0);
  std::fclose(file);
}

TEST(Y4mWriter, ClosedPipeIsAClearErrorWhenSigpipeIsIgnored) {
  // main() ignores SIGPIPE so that a reader going away surfaces as EPIPE.
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  std::FILE* out = fdopen(fds[1], "wb");
  ASSERT_NE(out, nullptr);

  std::string message;
  auto writer = Y4mWriter::Create(fileno(out), "standard output", 64, 48, 30.0);
  if (!writer.ok()) {
    message = writer.error().message;
  } else {
    const core::Status s = writer->WriteFrame(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(7)));
    ASSERT_FALSE(s.ok());
    message = s.error().message;
  }
  EXPECT_EQ(message, "cannot write to standard output: the reader closed the pipe");
  std::fclose(out);
  std::signal(SIGPIPE, previous);
}

}  // namespace
}  // namespace fw::output
