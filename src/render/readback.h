// Reads render targets back into 8-bit BGR images: synchronously, or pipelined through two
// pixel buffer objects so that the transfer of frame N overlaps the work on frame N+1.
// Main thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>

#include "core/result.h"
#include "render/gl/handle.h"
#include "render/gl/texture.h"

namespace fw::render {

// Copies target into out (CV_8UC3, BGR, row y = fragment row y), waiting for the GPU.
// out is reallocated only when its size or type differs.
core::Status ReadTarget(const RenderTarget& target, cv::Mat& out);

class PboReadback {
 public:
  static constexpr int64_t kNoFrame = -1;

  PboReadback();  // needs a current context

  // Queues the read of target (its current content, tagged tag >= 0) into one buffer and
  // copies the frame queued by the previous call out of the other into out. Returns that
  // frame's tag, or kNoFrame when nothing was queued before. No allocation once the buffers
  // and out have their size.
  core::Result<int64_t> Submit(const RenderTarget& target, int64_t tag, cv::Mat& out);
  // Copies the frame still queued, if any (end of stream, single images): its tag or kNoFrame.
  core::Result<int64_t> Flush(cv::Mat& out);
  bool pending() const { return slots_[1 - next_].tag != kNoFrame; }

 private:
  struct Slot {
    GlBuffer buffer;
    size_t capacity = 0;
    int width = 0;
    int height = 0;
    int64_t tag = kNoFrame;
  };
  core::Status CopyOut(Slot& slot, cv::Mat& out);

  std::array<Slot, 2> slots_;
  int next_ = 0;  // the slot the next Submit reads into; the other one holds the pending frame
};

}  // namespace fw::render
