// Video files (.mp4 .mkv .avi) through FFmpeg's libraries (output/ffmpeg_muxer.h), at the
// input's size and rate, with the input's audio where StreamInfo::audio_from names it. The
// encoder writes through a descriptor of an exclusively created temporary file
// (core/atomic_file.h). Encoders need even sizes for 4:2:0, so an odd-sized input loses its
// last column/row here (the .y4m sink keeps every pixel). An instance is used from one thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

core::Result<std::unique_ptr<Sink>> OpenVideoFileSink(const std::string& path,
                                                      const std::string& extension,
                                                      const StreamInfo& info);

}  // namespace fw::output
