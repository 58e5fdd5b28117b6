// A fixed set of worker threads, each with a state of its own (a detector, a warp backend), fed
// by a queue of bounded length: a job that finds the queue full is refused at once, so a flood
// of requests gets "busy" answers instead of an ever-growing backlog. Thread-safe; the
// destructor runs the queued jobs to completion and joins the workers.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fw::net {

template <class State>
class BoundedPool {
 public:
  // A job works on its worker's state and returns what delivers its result: that runs once the
  // job no longer counts against the pool, so a caller that gets its answer can submit again
  // at once.
  using Job = std::function<std::function<void()>(State&)>;

  // One worker per state; at most workers + `max_queued` jobs are taken at a time.
  BoundedPool(std::vector<std::unique_ptr<State>> states, size_t max_queued)
      : states_(std::move(states)), max_queued_(max_queued) {
    for (auto& state : states_) {
      State* s = state.get();
      threads_.emplace_back([this, s] { Loop(*s); });
    }
  }
  ~BoundedPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    work_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Queues the job, or returns false (and drops it) when every worker is busy and max_queued
  // jobs already wait.
  bool TrySubmit(Job job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_ || busy_ >= states_.size() + max_queued_) return false;
      ++busy_;  // counted from now, so that admission never races a worker's wake-up
      jobs_.push_back(std::move(job));
    }
    work_.notify_one();
    return true;
  }

  int workers() const { return static_cast<int>(states_.size()); }
  // Jobs taken and not yet done (queued or running).
  int outstanding() const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(busy_);
  }

 private:
  void Loop(State& state) {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      std::function<void()> deliver = job(state);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --busy_;
      }
      if (deliver) deliver();
    }
  }

  std::vector<std::unique_ptr<State>> states_;
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable work_;
  std::deque<Job> jobs_;
  size_t busy_ = 0;  // taken and not finished: queued or running
  bool closed_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace fw::net
