// YUV4MPEG2 (".y4m") stream writing: 4:2:0 planes after a one-line header, one "FRAME" line per
// picture. The writer does not own its file descriptor; an instance is used from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sys/uio.h>

#include <opencv2/core.hpp>

#include "core/result.h"
#include "core/yuv_image.h"

namespace fw::output {

struct Rational {
  int num = 0;
  int den = 1;
};

// Frame rate as the exact fraction players expect: integers n -> n:1, NTSC rates
// (n * 1000 / 1001, e.g. 29.97) -> n*1000:1001, anything else the closest fraction with a
// denominator up to 1e6. Non-positive or non-finite rates give 30:1.
Rational FpsToRational(double fps);

// "YUV4MPEG2 W<w> H<h> F<num>:<den> Ip A1:1 C420jpeg\n"
std::string Y4mHeader(int width, int height, double fps);

class Y4mWriter {
 public:
  // Writes the header to `fd`. `name` is used in error messages ("out.y4m", "standard output").
  // Writes go through core::WriteAllToFd: a stop signal ends a wait on a stalled pipe.
  static core::Result<Y4mWriter> Create(int fd, std::string name, int width, int height,
                                        double fps);

  // Appends one 8-bit BGR frame of the header's size, converted to I420 (BT.601 limited range).
  // The frame goes out unbuffered, so that a player reading a pipe is never a frame behind.
  core::Status WriteFrame(const cv::Mat& bgr);
  // Appends one I420 frame of the header's size as it is: no conversion, and no copy either
  // (the planes' rows go to the descriptor as they lie, gathered by writev).
  core::Status WriteFrame(const core::YuvImage& yuv);
  int64_t frames() const { return frames_; }

 private:
  Y4mWriter(int fd, std::string name, int width, int height);
  core::Status WriteAll(const uint8_t* data, size_t size);
  // Writes every byte of iov_ (consumed as it goes), as core::WriteAllToFd does for one buffer.
  core::Status WriteGathered();

  int fd_;
  std::string name_;
  int width_;
  int height_;
  std::vector<uint8_t> frame_;  // "FRAME\n" then the I420 planes, reused for every frame
  std::vector<iovec> iov_;      // "FRAME\n" then one entry per plane row, reused
  int64_t frames_ = 0;
};

}  // namespace fw::output
