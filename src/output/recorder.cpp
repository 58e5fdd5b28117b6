#include "output/recorder.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <utility>

#include "output/sink_spec.h"

namespace fw::output {

std::string RecordingPath(const std::string& directory, std::chrono::system_clock::time_point when,
                          const std::string& extension) {
  const time_t seconds = std::chrono::system_clock::to_time_t(when);
  struct tm local {};
  localtime_r(&seconds, &local);
  char stamp[32];
  strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &local);
  const std::string stem = (std::filesystem::path(directory) / "facewarp-").string() + stamp;
  std::string path = stem + extension;
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(path, ec); ++n) {
    path = stem + "-" + std::to_string(n) + extension;
  }
  return path;
}

std::string DefaultRecordingDirectory() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    std::string videos = std::string(home) + "/Videos";
    std::error_code ec;
    if (std::filesystem::is_directory(videos, ec)) return videos;
  }
  return ".";
}

core::Status Recorder::Start(const std::string& path, const StreamInfo& info) {
  if (sink_) return core::Error::Runtime("already recording to " + path_);
  FW_ASSIGN_OR_RETURN(const SinkSpec spec, ParseSinkSpec(path));
  if (spec.kind != SinkKind::kVideoFile && spec.kind != SinkKind::kY4mFile) {
    return core::Error::Usage("cannot record to " + path +
                              ": a recording needs a video (.mp4 .mkv .avi) or .y4m path");
  }
  StreamInfo video = info;
  video.still_image = false;
  FW_ASSIGN_OR_RETURN(sink_, OpenSink(path, video));
  path_ = path;
  frames_ = 0;
  return core::Status::Ok();
}

core::Status Recorder::Write(const cv::Mat& bgr) {
  if (!sink_) return core::Status::Ok();
  core::Status written = sink_->Write(bgr);
  if (!written.ok()) {
    sink_.reset();  // an unfinished file sink removes its partial file
    return written;
  }
  ++frames_;
  return core::Status::Ok();
}

core::Result<std::string> Recorder::Stop() {
  if (!sink_) return core::Error::Runtime("not recording");
  const std::unique_ptr<Sink> sink = std::move(sink_);
  FW_RETURN_IF_ERROR(sink->Finish());
  return path_;
}

}  // namespace fw::output
