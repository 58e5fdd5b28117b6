// The one levelled logger (spdlog, to stderr so that "-" outputs stay clean on stdout), and
// the one place errors are printed. Every line that reaches stderr through either has its
// control characters escaped, so a file name holding a newline cannot split or forge a line.
// Thread-safe. Inside frame loops use FW_LOG_EVERY_N-style rate limits (see RateLimited).
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fw::core {

// Sets up the stderr logger once; level: "error", "warn", "info", "debug".
void InitLogging(const char* level);

// Control characters (below 0x20, and 0x7f) as \n, \r, \t or \xHH; a backslash stays as is.
// Bytes from 0x80 up (UTF-8) are kept.
std::string EscapeControlCharacters(std::string_view text);

// Writes "facewarp: error: <message>" as one line on stderr, escaped.
void PrintError(const Error& error);

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
