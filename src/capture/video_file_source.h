// Video files decoded with FFmpeg's libraries (libavformat/libavcodec) into planar YUV. The
// first frame is decoded when the file is opened, so a corrupt or truncated file fails at
// start-up rather than mid-run. Frames carry the decoder's I420 planes without a copy
// (Frame::yuv) when SourceOptions::planar is set, else BGR converted once (Frame::image).
// Hardware decoding where a device opens (SourceOptions::hwdec, ffmpeg_decoder.h), else
// software with one decoder thread; a hardware failure midway continues a regular file in
// software. An instance is used from one thread (the capture thread).
#pragma once

#include <memory>
#include <string>

#include "capture/source.h"
#include "core/result.h"

namespace fw::capture {

// Container rates of 0, NaN or absurd values fall back to this (frames per second).
inline constexpr double kFallbackFps = 30.0;

// A regular video file, opened literally as a file (never as a protocol or pattern).
core::Result<std::unique_ptr<Source>> OpenVideoFile(const std::string& path,
                                                    const SourceOptions& options = {});

// A stream that cannot be probed or rewound: a FIFO, or standard input for "-". Stream
// containers (YUV4MPEG2, Matroska, NUT, MPEG-TS) work; MP4 needs a seekable file.
core::Result<std::unique_ptr<Source>> OpenVideoStream(const std::string& path,
                                                      const SourceOptions& options = {});

}  // namespace fw::capture
