// The one levelled logger (spdlog, to stderr so that "-" outputs stay clean on stdout).
// Thread-safe. Inside frame loops use FW_LOG_EVERY_N-style rate limits (see RateLimited).
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdint>

namespace fw::core {

// Sets up the stderr logger once; level: "error", "warn", "info", "debug".
void InitLogging(const char* level);

// True on the 1st, (n+1)th, (2n+1)th... call: for per-frame warnings.
class RateLimited {
 public:
  explicit RateLimited(int64_t every_n) : every_n_(every_n) {}
  bool Tick() { return count_++ % every_n_ == 0; }

 private:
  int64_t every_n_;
  std::atomic<int64_t> count_{0};
};

}  // namespace fw::core
