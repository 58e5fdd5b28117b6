// Keeps OpenCV's and FFmpeg's own console messages out of the way of facewarp's one-line
// errors. Call once from main() before any other thread starts (it sets an environment
// variable, which is not thread-safe).
#pragma once

namespace fw::capture {

// verbose = false: FFmpeg quiet (unless OPENCV_FFMPEG_LOGLEVEL is set by the user) and OpenCV's
// logger at errors only. verbose = true leaves both at their defaults, for debugging devices.
void ConfigureBackendLogging(bool verbose);

}  // namespace fw::capture
