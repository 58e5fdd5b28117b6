// V4L2 cameras through OpenCV (one-frame driver queue, so a slow consumer sees the newest
// frame, not a backlog). An instance is used from one thread (the capture thread).
#pragma once

#include <memory>
#include <string>

#include "capture/source.h"
#include "core/result.h"

namespace fw::capture {

// Ok when `path` is a V4L2 device that can capture video; otherwise says why not (missing,
// not a character device, no capture capability, no permission).
core::Status CheckCaptureDevice(const std::string& path);

// A camera by device path ("/dev/video2") or by index (0 is /dev/video0). The mode in
// `options` is a request; info() reports what the camera gave.
core::Result<std::unique_ptr<Source>> OpenCameraDevice(const std::string& path,
                                                       const SourceOptions& options);
core::Result<std::unique_ptr<Source>> OpenCameraIndex(int index, const SourceOptions& options);

}  // namespace fw::capture
