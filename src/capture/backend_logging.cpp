#include "capture/backend_logging.h"

#include <cstdlib>

#include <opencv2/core/utils/logger.hpp>

namespace fw::capture {

void ConfigureBackendLogging(bool verbose) {
  if (verbose) return;
  // OpenCV reads this on every FFmpeg open; -8 is AV_LOG_QUIET. Overwrite = 0 keeps a user's
  // own setting.
  setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
}

}  // namespace fw::capture
