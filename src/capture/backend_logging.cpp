#include "capture/backend_logging.h"

extern "C" {
#include <libavutil/log.h>
}

#include <cstdarg>
#include <cstdlib>
#include <opencv2/core/utils/logger.hpp>
#include <string>

#include "core/log.h"

namespace fw::capture {
namespace {

// From FFmpeg's threads too: spdlog is thread-safe, and the line is formatted locally.
void FfmpegToLogger(void* context, int level, const char* format, va_list args) {
  if (level > AV_LOG_INFO || !spdlog::should_log(spdlog::level::debug)) return;
  char line[1024];
  int print_prefix = 1;
  va_list copy;
  va_copy(copy, args);
  av_log_format_line(context, level, format, copy, line, sizeof(line), &print_prefix);
  va_end(copy);
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty()) spdlog::debug("ffmpeg: {}", text);
}

}  // namespace

void ConfigureBackendLogging(bool verbose) {
  // OpenCV installs its own FFmpeg callback only when one of these is set.
  if (std::getenv("OPENCV_FFMPEG_LOGLEVEL") == nullptr &&
      std::getenv("OPENCV_FFMPEG_DEBUG") == nullptr) {
    av_log_set_callback(FfmpegToLogger);
  }
  if (!verbose) cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
}

void RestrictFfmpegInputs() {
  // OpenCV hands these to avformat_open_input ("key;value|key;value"); later keys win, so a
  // user's own options are kept but cannot lift the restriction.
  const std::string restriction =
      std::string("protocol_whitelist;file,pipe|pattern_type;none|format_whitelist;") +
      kFfmpegFormatWhitelist;
  const char* user = std::getenv("OPENCV_FFMPEG_CAPTURE_OPTIONS");
  const std::string options =
      user != nullptr && *user != '\0' ? std::string(user) + "|" + restriction : restriction;
  setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", options.c_str(), 1);
}

}  // namespace fw::capture
