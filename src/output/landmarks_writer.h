// The --landmarks JSONL file: one JSON object per processed frame, one per line,
// {"frame": 0, "faces": [{"id": 1, "box": [x, y, w, h], "points": [[x, y], ... 68 pairs]}]},
// floats in the input's pixel space; "id" names a tracked face, the same on every frame of it.
// Written under a temporary name (core/atomic_file.h), renamed by Commit(); destroyed before it
// leaves nothing. "-" streams the lines to standard output, each line as it is produced (a pipe is
// written non-blocking, so a stop signal ends a stalled write). An instance is used from one
// thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/atomic_file.h"
#include "core/face.h"
#include "core/fd_writer.h"
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
  core::Status Complete();  // every line is written: checks there was no failure
  core::Status Commit();    // renames the file over its target
  core::Status Finish();    // Complete() then Commit()
  const std::string& path() const { return path_; }

 private:
  LandmarksWriter(std::string path, core::PendingFile pending);

  std::string path_;
  core::PendingFile pending_;  // inactive for standard output
  std::unique_ptr<core::NonBlockingWhilePipe> stdout_mode_;
  std::string line_;  // reused for every frame
  bool finished_ = false;
};

}  // namespace fw::output
