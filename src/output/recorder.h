// Recording while the preview runs: a video file sink opened and finished mid-stream, under a
// timestamped name. Main thread only (the record button and the frame loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

// "<directory>/facewarp-YYYYmmdd-HHMMSS<extension>" at `when` in local time; if that file
// exists, "-2", "-3"... goes before the extension. `extension` has the dot (".mp4").
std::string RecordingPath(const std::string& directory, std::chrono::system_clock::time_point when,
                          const std::string& extension = ".mp4");

// $HOME/Videos if it is a directory, else the current directory (".").
std::string DefaultRecordingDirectory();

class Recorder {
 public:
  // Starts recording into `path` (a video or .y4m path; anything else is a usage error). The
  // file's frame rate is info.fps: pass the rate frames really arrive at, or playback runs
  // fast or slow. An error leaves the recorder stopped; starting twice is an error.
  core::Status Start(const std::string& path, const StreamInfo& info);

  // Appends the frame while recording; does nothing otherwise. A failed write abandons the
  // recording (no partial file is left) and returns the error; the preview can go on.
  core::Status Write(const cv::Mat& bgr);

  // Finishes the file and returns its path. Stopping a recorder that is not recording, or one
  // that got no frame, is an error (and leaves no file).
  core::Result<std::string> Stop();

  bool recording() const { return sink_ != nullptr; }
  const std::string& path() const { return path_; }  // of the current or last recording
  int64_t frames() const { return frames_; }         // written to it so far

 private:
  std::unique_ptr<Sink> sink_;
  std::string path_;
  int64_t frames_ = 0;
};

}  // namespace fw::output
