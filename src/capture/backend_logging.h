// Keeps OpenCV's and FFmpeg's own console messages out of the way of facewarp's one-line
// errors, and keeps FFmpeg to plain files. Call both once from main() before any other thread
// starts (they set the library's global state and environment, which is not thread-safe).
#pragma once

namespace fw::capture {

// FFmpeg's messages go through facewarp's logger at debug level (shown with --verbose or
// --log-level debug), unless the user set OPENCV_FFMPEG_LOGLEVEL or OPENCV_FFMPEG_DEBUG, which
// keep OpenCV's own printing. OpenCV's logger: errors only, or its default when verbose.
void ConfigureBackendLogging(bool verbose);

// FFmpeg opens inputs through the file and pipe protocols only, with image-sequence patterns
// off and single-file demuxers only: "concat:a|b", "http://...", "frame%02d.png", an ffconcat
// list or an HLS playlist cannot make it read anything but the one file facewarp checked
// (video_file_source.cpp also opens files as "file:PATH").
void RestrictFfmpegInputs();

// The demuxers facewarp lets FFmpeg use: single video files only, no playlist or list formats
// (hls, dash, concat) that open further files or URLs named inside the file.
inline constexpr char kFfmpegFormatWhitelist[] =
    "mov,matroska,avi,yuv4mpegpipe,mpegts,nut,flv,mpeg,mpegvideo,ogg,asf,h264,hevc,m4v,ivf,mxf,dv,"
    "gif,apng,mjpeg";

}  // namespace fw::capture
