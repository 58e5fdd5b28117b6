// The --landmarks JSONL file: one JSON object per processed frame, one per line,
// {"frame": 0, "faces": [{"box": [x, y, w, h], "points": [[x, y], ... 68 pairs]}]}, floats in
// the input's pixel space. Written under a temporary name, renamed by Finish(); destroyed
// without Finish() it leaves nothing. An instance is used from one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "core/atomic_file.h"
#include "core/face.h"
#include "core/result.h"

namespace fw::output {

// One line's JSON object (no trailing newline).
std::string LandmarksJsonLine(int64_t frame_index, const core::Faces& faces);

class LandmarksWriter {
 public:
  static core::Result<std::unique_ptr<LandmarksWriter>> Open(const std::string& path);
  ~LandmarksWriter();
  LandmarksWriter(const LandmarksWriter&) = delete;
  LandmarksWriter& operator=(const LandmarksWriter&) = delete;

  core::Status Write(int64_t frame_index, const core::Faces& faces);
  core::Status Finish();  // flush and commit
  const std::string& path() const { return pending_.target(); }

 private:
  LandmarksWriter(core::PendingFile pending, std::FILE* file);

  core::PendingFile pending_;
  std::FILE* file_;  // owned; closed before pending_ removes or commits the file
  bool finished_ = false;
};

}  // namespace fw::output
