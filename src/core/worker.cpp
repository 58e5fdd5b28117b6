#include "core/worker.h"

#include <exception>
#include <utility>

#ifdef FACEWARP_OPENCV_SERIAL
#include <opencv2/core/utility.hpp>
#endif

namespace fw::core {

#ifdef FACEWARP_OPENCV_SERIAL
namespace {
// ThreadSanitizer builds: OpenCV's parallel_for_ runs on the calling thread instead of
// uninstrumented TBB workers, so every thread TSan sees is one of facewarp's (this file is
// linked wherever facewarp starts a thread).
const bool kOpenCvSerial = [] {
  cv::setNumThreads(0);
  return true;
}();
}  // namespace
#endif

Worker::Worker(std::string name, Body body, std::function<void()> on_stop)
    : name_(std::move(name)), on_stop_(std::move(on_stop)) {
  thread_ = std::thread([this, body = std::move(body)] {
    try {
      body(stop_);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = name_ + ": " + e.what();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = name_ + ": unknown failure";
    }
    finished_ = true;
  });
}

Worker::~Worker() { Stop(); }

void Worker::Stop() {
  stop_ = true;
  if (on_stop_) on_stop_();
  if (thread_.joinable()) thread_.join();
}

std::string Worker::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

}  // namespace fw::core
