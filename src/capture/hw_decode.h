// Hardware video decoding: the --hwdec choice and the choice of a device for a decoder
// (VAAPI, then VDPAU, then CUDA, where FFmpeg's decoder offers one and a device opens). Pure
// apart from opening devices; thread-safe (no shared state). FFmpeg's types stay in the .cpp.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace fw::capture {

// --hwdec: kAuto tries a hardware device and falls back to software, kNone decodes in software.
enum class HwDecode { kAuto, kNone };

// "auto" or "none"; nullopt for anything else.
std::optional<HwDecode> ParseHwDecode(const std::string& value);

// The device types FFmpeg names ("vaapi", "vdpau", "cuda") that the decoder `codec_name`
// ("h264", "hevc", ...) can decode on through a device context, in the order they are tried:
// VAAPI, VDPAU, CUDA. Empty for an unknown decoder or one without hardware support.
std::vector<std::string> HwDeviceTypesFor(const std::string& codec_name);

// An open hardware device: an FFmpeg AVBufferRef* device context, released with its last copy.
using HwDeviceHandle = std::shared_ptr<void>;
// Opens a device of a type ("vaapi", ...), or says why it cannot.
using HwDeviceOpener = std::function<core::Result<HwDeviceHandle>(const std::string& type)>;

// FFmpeg's av_hwdevice_ctx_create on the default device of `type` (a render node, the X
// display, CUDA device 0). Most machines without a GPU fail here, which is not an error.
core::Result<HwDeviceHandle> OpenHwDevice(const std::string& type);

struct HwDeviceChoice {
  std::string type;       // the device type opened ("vaapi", "vdpau", "cuda"); empty: none
  int pixel_format = -1;  // the AVPixelFormat the decoder's pictures have on that device
  HwDeviceHandle device;  // set when type is
  // When none was opened: why, for the log ("vaapi: <reason>; vdpau: <reason>; ...").
  std::string reason;

  bool available() const { return device != nullptr; }
};

// Tries HwDeviceTypesFor(codec_name) in order with `open`; the first device that opens wins.
// "None available" (no hardware support, or no device opens) is a normal outcome, with reason.
HwDeviceChoice ChooseHwDevice(const std::string& codec_name,
                              const HwDeviceOpener& open = OpenHwDevice);

}  // namespace fw::capture
