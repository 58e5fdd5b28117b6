// Video files (.mp4 .mkv .avi) through OpenCV's FFmpeg writer, at the input's size and rate.
// Encoders need even sizes for 4:2:0, so an odd-sized input loses its last column/row here
// (the .y4m sink keeps every pixel). An instance is used from one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

// FourCCs to try, best first, for an extension (lower case with the dot); empty if unknown.
// .mp4: H.264 ('avc1'), else MPEG-4 Part 2 ('mp4v'); .mkv: H.264 ('H264'), else 'mp4v';
// .avi: Motion JPEG ('MJPG').
std::vector<int> FourccsFor(const std::string& extension);

core::Result<std::unique_ptr<Sink>> OpenVideoFileSink(const std::string& path,
                                                      const std::string& extension,
                                                      const StreamInfo& info);

}  // namespace fw::output
