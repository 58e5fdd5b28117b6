// Video files through FFmpeg's own libraries: frames encoded (H.264 by libx264 where present,
// else MPEG-4 Part 2; Motion JPEG for .avi) at a chosen quality and muxed, together with the
// first audio stream of another media file (copied packet for packet where the container takes
// its codec, else re-encoded: AAC for .mp4, MP3 for .avi, Opus for .mkv; cut at the video's
// end), into a file descriptor the caller created. Every write, the trailer and the I/O
// layer's error state are checked, so a full disk is an error, never a truncated file that
// looks whole. An instance is used from one thread.
#pragma once

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/result.h"
#include "core/yuv_image.h"
#include "output/y4m_writer.h"

namespace fw::output {

struct MuxerOptions {
  std::string name;       // the target, for messages
  std::string extension;  // ".mp4", ".mkv" or ".avi"
  int width = 0;          // even
  int height = 0;         // even
  Rational fps{30, 1};
  int crf = 23;            // 0..51, x264's scale
  std::string audio_from;  // media file whose audio is carried; empty: none
};

class FfmpegMuxer {
 public:
  // Opens the encoder and the audio input and writes the header to `fd` (not owned; it must be
  // seekable for .mp4). A missing encoder or an unreadable audio input is an error; an input
  // without audio is not.
  static core::Result<std::unique_ptr<FfmpegMuxer>> Open(int fd, const MuxerOptions& options);
  ~FfmpegMuxer();
  FfmpegMuxer(const FfmpegMuxer&) = delete;
  FfmpegMuxer& operator=(const FfmpegMuxer&) = delete;

  // One 8-bit BGR frame at least options.width x options.height (the top-left part is used).
  core::Status WriteFrame(const cv::Mat& bgr);
  // Whether the encoder takes I420 planes as they are (limited range 4:2:0; not Motion JPEG,
  // which wants full range).
  bool takes_yuv() const;
  // One I420 frame of exactly options.width x options.height; only when takes_yuv().
  core::Status WriteFrame(const core::YuvImage& yuv);
  // Drains the encoder, adds the audio up to the video's end and writes the trailer.
  core::Status Finish();

  const std::string& codec_name() const;
  bool has_audio() const;

 private:
  struct State;
  explicit FfmpegMuxer(std::unique_ptr<State> state);
  core::Status EncodeFrame();  // encodes the frame now in State::frame
  std::unique_ptr<State> s_;
};

}  // namespace fw::output
