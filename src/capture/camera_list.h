// The cameras present, by name: what --list-cameras prints, what the panel offers, and how
// `--input "HD Webcam"` finds its device. Built on output::QueryV4l2Nodes (the V4L2
// enumeration shared with the virtual camera's device list). Callable from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "output/v4l2_device.h"
#include "output/v4l2_devices.h"

namespace fw::capture {

using CameraInfo = output::V4l2NodeInfo;

// One capture mode of a camera, over all its pixel formats.
struct CameraMode {
  int width = 0;
  int height = 0;
  double fps = 0.0;
  std::string label;  // "1280x720 @ 30 fps (MJPG, YUYV)"
};

// The cameras among the /dev/videoN nodes of `dir`, by N.
std::vector<CameraInfo> ListCameras(output::V4l2Device& device, const std::string& dir = "/dev");
std::vector<CameraInfo> ListCameras();  // the system's

// What --list-cameras prints: per camera its path, name, driver and every format with its
// sizes and rates; "no camera found ..." when the list is empty.
std::string CameraListText(const std::vector<CameraInfo>& cameras);

// The distinct (size, rate) modes of a camera, largest size first, each rate highest first.
std::vector<CameraMode> CameraModes(const CameraInfo& camera);

// The device path of the camera called `name` (case-insensitive): an exact name first, else
// the one camera whose name contains it. Errors say no camera or several cameras match.
core::Result<std::string> FindCameraByName(const std::vector<CameraInfo>& cameras,
                                           const std::string& name);

}  // namespace fw::capture
