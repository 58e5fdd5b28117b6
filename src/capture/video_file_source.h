// Video files decoded with OpenCV's FFmpeg backend. The first frame is decoded when the file is
// opened, so a corrupt or truncated file fails at start-up rather than mid-run.
// An instance is used from one thread (the capture thread).
#pragma once

#include <memory>
#include <string>

#include "capture/source.h"
#include "core/result.h"

namespace fw::capture {

// Container rates of 0, NaN or absurd values fall back to this (frames per second).
inline constexpr double kFallbackFps = 30.0;

core::Result<std::unique_ptr<Source>> OpenVideoFile(const std::string& path);

}  // namespace fw::capture
