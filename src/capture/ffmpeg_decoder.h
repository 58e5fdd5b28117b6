// One video stream demuxed and decoded with FFmpeg's libraries into I420 planes, on a hardware
// device where one opens (hw_decode.h), else in software. Pictures are views into buffers that
// are reused once no frame holds them, so decoding allocates no picture memory in steady state.
// An instance is used from one thread; the pictures it hands out may travel to any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "capture/hw_decode.h"
#include "core/result.h"
#include "core/yuv_image.h"

namespace fw::capture {

enum class DecodeResult {
  kPicture,
  kEnd,    // the end of the stream (or an undecodable rest of it in software)
  kError,  // the hardware decoder failed: decode again in software or give up
};

class FfmpegDecoder {
 public:
  // Opens `url` ("file:PATH" or "pipe:0"; `name` is what messages call it) and decodes its
  // first picture, so that a file that cannot be decoded fails here. With HwDecode::kAuto a
  // hardware device is tried first; a device that opens but cannot decode the first picture is
  // given up for software when `reopenable` (a regular file), else it is an error.
  static core::Result<std::unique_ptr<FfmpegDecoder>> Open(const std::string& url,
                                                           const std::string& name, HwDecode hwdec,
                                                           bool reopenable);
  ~FfmpegDecoder();
  FfmpegDecoder(const FfmpegDecoder&) = delete;
  FfmpegDecoder& operator=(const FfmpegDecoder&) = delete;

  // The next picture (the first one decoded by Open comes first). out's planes are views that
  // its owner keeps alive and unwritten.
  DecodeResult Next(core::YuvImage& out);

  int width() const;
  int height() const;
  double fps() const;           // the container's rate, sanitised (kFallbackFps when absurd)
  int64_t frame_count() const;  // -1 when unknown
  // The decoder and where it runs: "h264 (software)", "hevc (vaapi)".
  const std::string& description() const;
  bool hardware() const;

  struct Impl;

 private:
  explicit FfmpegDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fw::capture
