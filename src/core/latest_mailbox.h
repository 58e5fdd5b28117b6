// A latest-value mailbox between two threads (MediaPipe's flow limiter idea): Publish()
// overwrites an untaken value and counts it as dropped, so the consumer always gets the newest;
// PublishBlocking() instead waits for the slot to empty (file processing, where every frame
// counts); TryTake() never blocks; Take() waits; Close() wakes every waiter. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

namespace fw::core {

template <class T>
class LatestMailbox {
 public:
  // Returns false (and drops the value) once the mailbox is closed.
  bool Publish(T value) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return false;
      if (value_.has_value()) ++dropped_;
      value_ = std::move(value);
      ++published_;
    }
    cv_.notify_all();
    return true;
  }

  // Waits until the previous value was taken, then publishes; false once closed.
  bool PublishBlocking(T value) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !value_.has_value() || closed_; });
      if (closed_) return false;
      value_ = std::move(value);
      ++published_;
    }
    cv_.notify_all();
    return true;
  }

  // The newest value if one is waiting, without blocking (for the render loop).
  std::optional<T> TryTake() {
    std::optional<T> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      out = TakeLocked();
    }
    if (out) cv_.notify_all();
    return out;
  }

  // Waits for a value; empty once the mailbox is closed and drained.
  std::optional<T> Take() {
    std::optional<T> out;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return value_.has_value() || closed_; });
      out = TakeLocked();
    }
    if (out) cv_.notify_all();
    return out;
  }

  // As Take(), giving up after `timeout`.
  template <class Rep, class Period>
  std::optional<T> TakeFor(std::chrono::duration<Rep, Period> timeout) {
    std::optional<T> out;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, timeout, [&] { return value_.has_value() || closed_; });
      out = TakeLocked();
    }
    if (out) cv_.notify_all();
    return out;
  }

  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

  bool closed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_;
  }
  int64_t dropped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return dropped_;
  }
  int64_t published() const {
    std::lock_guard<std::mutex> lock(mu_);
    return published_;
  }

 private:
  std::optional<T> TakeLocked() {
    std::optional<T> out = std::move(value_);
    value_.reset();
    return out;
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<T> value_;
  bool closed_ = false;
  int64_t dropped_ = 0;
  int64_t published_ = 0;
};

}  // namespace fw::core
