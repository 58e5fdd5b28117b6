#include "output/y4m_writer.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/fd_writer.h"
#include "core/stop_signal.h"
#include "output/color_convert.h"

namespace fw::output {
namespace {

constexpr char kFrameTag[] = "FRAME\n";
constexpr size_t kFrameTagSize = sizeof(kFrameTag) - 1;
constexpr int kPollSliceMs = 100;  // as core::WriteAllToFd: a stop is noticed within this

// Convergents h/k of x's continued fraction, up to the last one with k <= max_den.
Rational ClosestFraction(double x, int64_t max_den) {
  int64_t h_prev = 1;
  int64_t h = static_cast<int64_t>(std::floor(x));
  int64_t k_prev = 0;
  int64_t k = 1;
  double rest = x - std::floor(x);
  while (rest > 1e-9 &&
         std::fabs(static_cast<double>(h) / static_cast<double>(k) - x) > 1e-12 * x) {
    rest = 1.0 / rest;
    const double a = std::floor(rest);
    if (a > 1e7) break;
    const int64_t h_next = static_cast<int64_t>(a) * h + h_prev;
    const int64_t k_next = static_cast<int64_t>(a) * k + k_prev;
    if (k_next > max_den || h_next > INT32_MAX) break;
    h_prev = h;
    h = h_next;
    k_prev = k;
    k = k_next;
    rest -= a;
  }
  if (h <= 0 || h > INT32_MAX) return {30, 1};
  return {static_cast<int>(h), static_cast<int>(k)};
}

}  // namespace

Rational FpsToRational(double fps) {
  if (!std::isfinite(fps) || fps <= 0.0 || fps > 1e6) return {30, 1};
  // Containers store rates as fractions, so a near-exact match is what the source meant;
  // 2e-6 relative also maps the rounded 29.97 onto 30000/1001.
  const double tolerance = 2e-6 * fps;
  const double whole = std::round(fps);
  if (whole >= 1.0 && std::fabs(fps - whole) <= tolerance) return {static_cast<int>(whole), 1};
  const double ntsc = std::round(fps * 1.001);
  if (ntsc >= 1.0 && std::fabs(fps - ntsc / 1.001) <= tolerance && ntsc * 1000.0 < INT32_MAX) {
    return {static_cast<int>(ntsc) * 1000, 1001};
  }
  return ClosestFraction(fps, 1000000);
}

std::string Y4mHeader(int width, int height, double fps) {
  const Rational rate = FpsToRational(fps);
  return "YUV4MPEG2 W" + std::to_string(width) + " H" + std::to_string(height) + " F" +
         std::to_string(rate.num) + ":" + std::to_string(rate.den) + " Ip A1:1 C420jpeg\n";
}

Y4mWriter::Y4mWriter(int fd, std::string name, int width, int height)
    : fd_(fd), name_(std::move(name)), width_(width), height_(height) {
  const I420Layout layout = I420Layout::For(width, height);
  frame_.resize(kFrameTagSize + layout.total_size());
  std::memcpy(frame_.data(), kFrameTag, kFrameTagSize);
  iov_.reserve(1 + static_cast<size_t>(layout.height) + 2 * layout.chroma_height);
}

core::Result<Y4mWriter> Y4mWriter::Create(int fd, std::string name, int width, int height,
                                          double fps) {
  if (width <= 0 || height <= 0) {
    return core::Error::Runtime("cannot write " + name + ": invalid frame size " +
                                std::to_string(width) + "x" + std::to_string(height));
  }
  Y4mWriter writer(fd, std::move(name), width, height);
  const std::string header = Y4mHeader(width, height, fps);
  FW_RETURN_IF_ERROR(
      writer.WriteAll(reinterpret_cast<const uint8_t*>(header.data()), header.size()));
  return writer;
}

core::Status Y4mWriter::WriteFrame(const cv::Mat& bgr) {
  if (bgr.cols != width_ || bgr.rows != height_) {
    return core::Error::Runtime("internal: frame of " + std::to_string(bgr.cols) + "x" +
                                std::to_string(bgr.rows) + " for " + name_ + " opened at " +
                                std::to_string(width_) + "x" + std::to_string(height_));
  }
  const I420Layout layout = I420Layout::For(width_, height_);
  uint8_t* y = frame_.data() + kFrameTagSize;
  uint8_t* u = y + layout.y_size();
  uint8_t* v = u + layout.chroma_size();
  FW_RETURN_IF_ERROR(
      BgrToI420(bgr, y, layout.width, u, layout.chroma_width, v, layout.chroma_width));
  FW_RETURN_IF_ERROR(WriteAll(frame_.data(), frame_.size()));
  ++frames_;
  return core::Status::Ok();
}

core::Status Y4mWriter::WriteFrame(const core::YuvImage& yuv) {
  const I420Layout layout = I420Layout::For(width_, height_);
  const cv::Size chroma(layout.chroma_width, layout.chroma_height);
  if (yuv.width() != width_ || yuv.height() != height_ || yuv.u.size() != chroma ||
      yuv.v.size() != chroma || yuv.y.type() != CV_8UC1 || yuv.u.type() != CV_8UC1 ||
      yuv.v.type() != CV_8UC1) {
    return core::Error::Runtime("internal: I420 frame of " + std::to_string(yuv.width()) + "x" +
                                std::to_string(yuv.height()) + " for " + name_ + " opened at " +
                                std::to_string(width_) + "x" + std::to_string(height_));
  }
  iov_.clear();
  iov_.push_back({const_cast<char*>(kFrameTag), kFrameTagSize});
  for (const cv::Mat* plane : {&yuv.y, &yuv.u, &yuv.v}) {
    const size_t row = static_cast<size_t>(plane->cols);
    // writev only reads: the const_cast is for iovec's type.
    for (int r = 0; r < plane->rows; ++r) iov_.push_back({const_cast<uchar*>(plane->ptr(r)), row});
  }
  FW_RETURN_IF_ERROR(WriteGathered());
  ++frames_;
  return core::Status::Ok();
}

core::Status Y4mWriter::WriteGathered() {
  iovec* next = iov_.data();
  iovec* const end = iov_.data() + iov_.size();
  while (next != end) {
    const int count = static_cast<int>(std::min<ptrdiff_t>(end - next, IOV_MAX));
    const ssize_t n = ::writev(fd_, next, count);
    if (n > 0) {
      // Skips the entries written whole, then the written part of the next.
      size_t left = static_cast<size_t>(n);
      while (next != end && left >= next->iov_len) left -= (next++)->iov_len;
      if (next != end) {
        next->iov_base = static_cast<uint8_t*>(next->iov_base) + left;
        next->iov_len -= left;
      }
      continue;
    }
    if (n < 0 && errno == EINTR && !core::StopRequested()) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The reader is behind: wait for room, a slice at a time, so a stop is noticed.
      pollfd pfd{fd_, POLLOUT, 0};
      const int ready = ::poll(&pfd, 1, kPollSliceMs);
      if (!core::StopRequested() && (ready >= 0 || errno == EINTR)) continue;
    }
    if (n == 0) return core::Error::Runtime("cannot write to " + name_ + ": nothing was written");
    // The rest (a stop request, EPIPE, ENOSPC, ...): core::WriteAllToFd meets the same
    // condition on the same descriptor and reports it in its words, or writes this entry.
    FW_RETURN_IF_ERROR(WriteAll(static_cast<const uint8_t*>(next->iov_base), next->iov_len));
    ++next;
  }
  return core::Status::Ok();
}

core::Status Y4mWriter::WriteAll(const uint8_t* data, size_t size) {
  return core::WriteAllToFd(fd_, data, size, name_);
}

}  // namespace fw::output
