#include "capture/hw_decode.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/hwcontext.h>
}

#include <glob.h>

#include <array>
#include <cstdlib>

namespace fw::capture {
namespace {

// The order devices are tried in: VAAPI (Intel, AMD, and NVIDIA through a wrapper), VDPAU
// (older NVIDIA and AMD stacks), CUDA (NVIDIA's own driver).
constexpr std::array<AVHWDeviceType, 3> kDeviceOrder = {
    AV_HWDEVICE_TYPE_VAAPI, AV_HWDEVICE_TYPE_VDPAU, AV_HWDEVICE_TYPE_CUDA};

// The pixel format `codec` decodes to on a device of `type` set up through a device context,
// or AV_PIX_FMT_NONE when it offers none.
AVPixelFormat HwPixelFormat(const AVCodec* codec, AVHWDeviceType type) {
  for (int i = 0;; ++i) {
    const AVCodecHWConfig* config = avcodec_get_hw_config(codec, i);
    if (config == nullptr) return AV_PIX_FMT_NONE;
    if ((config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) != 0 &&
        config->device_type == type) {
      return config->pix_fmt;
    }
  }
}

std::string AvErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof(text));
  return text;
}

// libvdpau prints "Failed to open VDPAU backend ..." straight to stderr (not through FFmpeg's
// log) when its driver is missing, which is so on most machines with an X display: it is tried
// only where a driver library is installed (in $VDPAU_DRIVER_PATH or the usual directories,
// the one $VDPAU_DRIVER names when set; libvdpau_trace is a tracing layer, not a driver).
bool VdpauDriverInstalled() {
  const char* path = std::getenv("VDPAU_DRIVER_PATH");
  const char* name = std::getenv("VDPAU_DRIVER");
  const std::string file = name != nullptr && *name != '\0'
                               ? "libvdpau_" + std::string(name) + ".so*"
                               : "libvdpau_*.so*";
  std::string dirs[] = {path != nullptr && *path != '\0' ? std::string(path) : "/usr/lib/*/vdpau",
                        "/usr/lib/vdpau", "/usr/lib64/vdpau"};
  for (const std::string& dir : dirs) {
    glob_t found{};
    const bool any = glob((dir + "/" + file).c_str(), 0, nullptr, &found) == 0;
    bool driver = false;
    for (size_t i = 0; any && i < found.gl_pathc; ++i) {
      driver = driver || std::string(found.gl_pathv[i]).find("libvdpau_trace") == std::string::npos;
    }
    globfree(&found);
    if (driver) return true;
  }
  return false;
}

}  // namespace

std::optional<HwDecode> ParseHwDecode(const std::string& value) {
  if (value == "auto") return HwDecode::kAuto;
  if (value == "none") return HwDecode::kNone;
  return std::nullopt;
}

std::vector<std::string> HwDeviceTypesFor(const std::string& codec_name) {
  std::vector<std::string> types;
  const AVCodec* codec = avcodec_find_decoder_by_name(codec_name.c_str());
  if (codec == nullptr) return types;
  for (const AVHWDeviceType type : kDeviceOrder) {
    if (HwPixelFormat(codec, type) != AV_PIX_FMT_NONE) {
      types.emplace_back(av_hwdevice_get_type_name(type));
    }
  }
  return types;
}

core::Result<HwDeviceHandle> OpenHwDevice(const std::string& type) {
  const AVHWDeviceType t = av_hwdevice_find_type_by_name(type.c_str());
  if (t == AV_HWDEVICE_TYPE_NONE) return core::Error::Runtime("unknown device type " + type);
  if (t == AV_HWDEVICE_TYPE_VDPAU && !VdpauDriverInstalled()) {
    return core::Error::Runtime("no VDPAU driver installed");
  }
  AVBufferRef* device = nullptr;
  const int created = av_hwdevice_ctx_create(&device, t, nullptr, nullptr, 0);
  if (created < 0 || device == nullptr) {
    return core::Error::Runtime("no device (" + AvErrorText(created) + ")");
  }
  return HwDeviceHandle(device, [](void* p) {
    AVBufferRef* ref = static_cast<AVBufferRef*>(p);
    av_buffer_unref(&ref);
  });
}

HwDeviceChoice ChooseHwDevice(const std::string& codec_name, const HwDeviceOpener& open) {
  HwDeviceChoice choice;
  const AVCodec* codec = avcodec_find_decoder_by_name(codec_name.c_str());
  const std::vector<std::string> types = HwDeviceTypesFor(codec_name);
  if (codec == nullptr || types.empty()) {
    choice.reason = "the " + codec_name + " decoder has no hardware support";
    return choice;
  }
  for (const std::string& type : types) {
    core::Result<HwDeviceHandle> device = open(type);
    if (device.ok() && *device != nullptr) {
      choice.type = type;
      choice.pixel_format = HwPixelFormat(codec, av_hwdevice_find_type_by_name(type.c_str()));
      choice.device = std::move(device).value();
      choice.reason.clear();
      return choice;
    }
    if (!choice.reason.empty()) choice.reason += "; ";
    choice.reason += type + ": " + (device.ok() ? "no device" : device.error().message);
  }
  return choice;
}

}  // namespace fw::capture
