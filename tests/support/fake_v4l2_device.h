// A stand-in for a v4l2loopback device, for tests on machines that cannot load the module:
// answers VIDIOC_QUERYCAP with configurable capabilities, records every ioctl, fails open or
// VIDIOC_S_FMT with a chosen errno, lets a test change the format it gives back, and keeps the
// frames written. Thread-safe: the sink writes from its own thread. Header-only.
#pragma once

#include <linux/videodev2.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "output/v4l2_device.h"

namespace fw::iotest {

struct FakeV4l2Config {
  mode_t mode = S_IFCHR | 0660;  // what Stat reports
  int stat_errno = 0;            // nonzero: Stat fails with it
  int open_errno = 0;
  int querycap_errno = 0;
  std::string driver = "v4l2 loopback";
  uint32_t device_caps = V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_READWRITE | V4L2_CAP_STREAMING;
  int s_fmt_errno = 0;
  int s_parm_errno = 0;
  // The driver's changes to the format it was asked for, before S_FMT returns.
  std::function<void(v4l2_pix_format&)> adjust_format;
};

class FakeV4l2Device : public output::V4l2Device {
 public:
  static constexpr int kFd = 42;

  explicit FakeV4l2Device(FakeV4l2Config config = {}) : config_(std::move(config)) {}

  int Stat(const std::string& path, struct stat* st) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (config_.stat_errno != 0) return Fail(config_.stat_errno);
    *st = {};
    st->st_mode = config_.mode;
    return 0;
  }

  int Open(const std::string& path, int flags) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++open_calls_;
    open_flags_ = flags;
    if (config_.open_errno != 0) return Fail(config_.open_errno);
    ++opens_;
    open_ = true;
    return kFd;
  }

  int Ioctl(int fd, unsigned long request, void* arg) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    ioctls_.push_back(request);
    if (request == VIDIOC_QUERYCAP) {
      if (config_.querycap_errno != 0) return Fail(config_.querycap_errno);
      auto* cap = static_cast<v4l2_capability*>(arg);
      *cap = {};
      std::strncpy(reinterpret_cast<char*>(cap->driver), config_.driver.c_str(),
                   sizeof(cap->driver) - 1);
      cap->device_caps = config_.device_caps;
      cap->capabilities = config_.device_caps | V4L2_CAP_DEVICE_CAPS;
      return 0;
    }
    if (request == VIDIOC_S_FMT) {
      auto* fmt = static_cast<v4l2_format*>(arg);
      requested_format_ = *fmt;
      if (config_.s_fmt_errno != 0) return Fail(config_.s_fmt_errno);
      if (config_.adjust_format) config_.adjust_format(fmt->fmt.pix);
      return 0;
    }
    if (request == VIDIOC_S_PARM) {
      parm_ = *static_cast<v4l2_streamparm*>(arg);
      if (config_.s_parm_errno != 0) return Fail(config_.s_parm_errno);
      return 0;
    }
    return Fail(ENOTTY);
  }

  ssize_t Write(int fd, const void* data, size_t size) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    if (write_errno_ != 0) return Fail(write_errno_);
    const auto* bytes = static_cast<const uint8_t*>(data);
    frames_.emplace_back(bytes, bytes + size);
    write_times_.push_back(std::chrono::steady_clock::now());
    written_.notify_all();
    return static_cast<ssize_t>(size);
  }

  int Close(int fd) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    open_ = false;
    ++closes_;
    return 0;
  }

  // From now on every write fails with `err`.
  void FailWrites(int err) {
    std::lock_guard<std::mutex> lock(mu_);
    write_errno_ = err;
  }

  // Waits until at least `count` frames have been written; false on timeout.
  bool WaitForFrames(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    return written_.wait_for(lock, timeout, [&] { return frames_.size() >= count; });
  }

  // Waits for a written frame that `pred` accepts, looking at frames from index `from` on;
  // returns its index, or -1 on timeout.
  int WaitForFrameWhere(const std::function<bool(const std::vector<uint8_t>&)>& pred,
                        size_t from = 0,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    int found = -1;
    written_.wait_for(lock, timeout, [&] {
      for (size_t i = from; i < frames_.size(); ++i) {
        if (pred(frames_[i])) {
          found = static_cast<int>(i);
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::vector<unsigned long> ioctls() const { return Locked(ioctls_); }
  std::optional<v4l2_format> requested_format() const { return Locked(requested_format_); }
  std::optional<v4l2_streamparm> parm() const { return Locked(parm_); }
  size_t frame_count() const { return Locked(frames_).size(); }
  std::vector<uint8_t> frame(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return frames_.at(i);
  }
  std::vector<std::vector<uint8_t>> frames() const { return Locked(frames_); }
  std::vector<std::chrono::steady_clock::time_point> write_times() const {
    return Locked(write_times_);
  }
  int open_calls() const { return Locked(open_calls_); }
  int opens() const { return Locked(opens_); }  // successful ones
  int closes() const { return Locked(closes_); }
  int open_flags() const { return Locked(open_flags_); }
  bool is_open() const { return Locked(open_); }

 private:
  static int Fail(int err) {
    errno = err;
    return -1;
  }

  template <class T>
  T Locked(const T& value) const {
    std::lock_guard<std::mutex> lock(mu_);
    return value;
  }

  mutable std::mutex mu_;
  std::condition_variable written_;
  FakeV4l2Config config_;
  bool open_ = false;
  int open_calls_ = 0;
  int opens_ = 0;
  int closes_ = 0;
  int open_flags_ = 0;
  int write_errno_ = 0;
  std::vector<unsigned long> ioctls_;
  std::optional<v4l2_format> requested_format_;
  std::optional<v4l2_streamparm> parm_;
  std::vector<std::vector<uint8_t>> frames_;
  std::vector<std::chrono::steady_clock::time_point> write_times_;
};

}  // namespace fw::iotest
