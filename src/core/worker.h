// An owned thread: the body runs until it returns or the stop flag is set; the destructor
// requests a stop, runs the on-stop hook (e.g. closing mailboxes the body waits on) and joins.
// Exceptions from the body become an error message the UI can show. Nothing is detached.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace fw::core {

class Worker {
 public:
  using Body = std::function<void(const std::atomic<bool>& stop)>;

  Worker(std::string name, Body body, std::function<void()> on_stop = {});
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Asks the body to stop, wakes it through on_stop, and waits for it.
  void Stop();
  bool finished() const { return finished_.load(); }
  // Empty unless the body threw; then "<name>: <what>".
  std::string error() const;

 private:
  std::string name_;
  std::function<void()> on_stop_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  mutable std::mutex mu_;
  std::string error_;
  std::thread thread_;
};

}  // namespace fw::core
