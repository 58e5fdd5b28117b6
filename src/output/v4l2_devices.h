// Enumeration of the V4L2 device nodes (/dev/videoN): what each one is (camera, output such
// as a v4l2loopback virtual camera), its card label, and for cameras the pixel formats, frame
// sizes and frame rates it reports (VIDIOC_QUERYCAP, VIDIOC_ENUM_FMT, VIDIOC_ENUM_FRAMESIZES,
// VIDIOC_ENUM_FRAMEINTERVALS). Through V4l2Device, so that tests can stand in for devices.
// Pure functions of the devices; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/v4l2_device.h"

namespace fw::output {

struct V4l2FrameSize {
  int width = 0;
  int height = 0;
  std::vector<double> fps;  // highest first; empty when the driver reports none
};

struct V4l2Format {
  uint32_t fourcc = 0;
  std::string name;         // the fourcc as text, e.g. "YUYV", "MJPG"
  std::string description;  // the driver's, e.g. "Motion-JPEG"
  std::vector<V4l2FrameSize> sizes;  // largest first
};

struct V4l2NodeInfo {
  std::string path;    // "/dev/video0"
  int index = -1;      // N of /dev/videoN, -1 for other names
  std::string card;    // the device's name ("HD Webcam", v4l2loopback's card_label)
  std::string driver;  // "uvcvideo", "v4l2 loopback"
  bool capture = false;   // reports V4L2_CAP_VIDEO_CAPTURE
  bool output = false;    // reports V4L2_CAP_VIDEO_OUTPUT
  bool loopback = false;  // a v4l2loopback device (either capability)
  // "" when the node could be queried; otherwise why not, e.g. "busy: another program holds
  // it" or "no permission (the user must be in the video group)".
  std::string problem;
  std::vector<V4l2Format> formats;  // capture formats; empty for output-only devices
};

// The /dev/videoN nodes in `dir`, by N (video2 before video10). Empty when there are none.
std::vector<std::string> ListVideoNodes(const std::string& dir = "/dev");

// Queries one node; never fails (a node that cannot be opened reports why in `problem`).
V4l2NodeInfo QueryV4l2Node(V4l2Device& device, const std::string& path);

// Every node of `paths` that is a camera (video capture) or a video output; nodes that are
// neither (metadata nodes of UVC cameras, codecs) are left out, as are nodes that vanished.
std::vector<V4l2NodeInfo> QueryV4l2Nodes(V4l2Device& device, const std::vector<std::string>& paths);

// The cameras among `nodes`: capture devices and busy nodes that are not known outputs.
std::vector<V4l2NodeInfo> CameraNodes(const std::vector<V4l2NodeInfo>& nodes);
// The virtual-camera candidates among `nodes`: V4L2 outputs, and v4l2loopback devices that
// another program is writing to (with exclusive_caps=1 these report capture meanwhile).
std::vector<V4l2NodeInfo> OutputNodes(const std::vector<V4l2NodeInfo>& nodes);

// "YUYV": the four characters of a V4L2 pixel format code.
std::string FourccName(uint32_t fourcc);

}  // namespace fw::output
