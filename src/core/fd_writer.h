// Writing bytes to a file descriptor so that nothing is lost silently and nothing hangs: every
// byte is written or the write fails with one message; a pipe whose reader stalls is waited on
// in poll() in short slices, so a stop signal (core/stop_signal.h) ends the wait. Thread-
// compatible: one writer per descriptor.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace fw::core {

// Writes all `size` bytes to `fd` (blocking or non-blocking). `name` is used in messages
// ("cannot write to NAME: ..."). A stop request while waiting for room is a runtime error
// naming the signal; EPIPE says the reader closed the pipe; ENOSPC and the rest name errno.
Status WriteAllToFd(int fd, const void* data, size_t size, const std::string& name);

// While alive, a pipe, FIFO or socket `fd` is non-blocking (so WriteAllToFd never sleeps in
// write()); its previous flags come back on destruction. Other descriptors are left alone.
class NonBlockingWhilePipe {
 public:
  explicit NonBlockingWhilePipe(int fd);
  ~NonBlockingWhilePipe();
  NonBlockingWhilePipe(const NonBlockingWhilePipe&) = delete;
  NonBlockingWhilePipe& operator=(const NonBlockingWhilePipe&) = delete;

 private:
  int fd_;
  int old_flags_ = -1;  // -1: nothing changed
};

}  // namespace fw::core
