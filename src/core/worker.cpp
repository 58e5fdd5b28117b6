#include "core/worker.h"

#include <exception>
#include <utility>

namespace fw::core {

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
