#include "app/preview_devices.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "capture/camera_list.h"
#include "capture/camera_source.h"
#include "output/sink_spec.h"
#include "output/v4l2_devices.h"
#include "output/v4l2_sink.h"

namespace fw::app {
namespace {

std::string Label(const output::V4l2NodeInfo& node) {
  return (node.card.empty() ? std::string("unnamed") : node.card) + " (" + node.path + ")";
}

int IndexOfPath(const std::vector<ui::DeviceEntry>& entries, const std::string& path) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].path == path) return static_cast<int>(i);
  }
  return -1;
}

std::string CameraPath(const std::string& input) {
  const bool index = !input.empty() && input.size() <= 2 &&
                     input.find_first_not_of("0123456789") == std::string::npos;
  return index ? "/dev/video" + input : input;
}

}  // namespace

void RefreshDevices(ui::ViewState& view, const std::string& current_input) {
  const std::string old_vcam =
      view.vcam_index >= 0 && view.vcam_index < static_cast<int>(view.vcams.size())
          ? view.vcams[static_cast<size_t>(view.vcam_index)].path
          : "";
  const auto nodes = output::QueryV4l2Nodes(*output::SystemV4l2Device(),
                                            output::ListVideoNodes("/dev"));
  view.cameras.clear();
  for (const output::V4l2NodeInfo& node : output::CameraNodes(nodes)) {
    ui::DeviceEntry entry{node.path, Label(node), node.problem, {}};
    for (const capture::CameraMode& mode : capture::CameraModes(node)) {
      entry.modes.push_back({mode.width, mode.height, mode.fps, mode.label});
    }
    view.cameras.push_back(std::move(entry));
  }
  view.vcams.clear();
  for (const output::V4l2NodeInfo& node : output::OutputNodes(nodes)) {
    view.vcams.push_back({node.path, Label(node), node.problem, {}});
  }
  const int camera = IndexOfPath(view.cameras, CameraPath(current_input));
  if (camera >= 0) view.camera_index = camera;
  const int vcam = IndexOfPath(view.vcams, old_vcam);
  view.vcam_index = std::max(vcam, 0);
  view.vcam_hint = output::kV4l2LoopbackHint;
}

std::string VcamSpec(const ui::ViewState& view) {
  if (view.vcams.empty()) return "";
  const auto& entry = view.vcams[static_cast<size_t>(
      std::clamp(view.vcam_index, 0, static_cast<int>(view.vcams.size()) - 1))];
  const auto& size = ui::VcamSizes()[static_cast<size_t>(
      std::clamp(view.vcam_size, 0, static_cast<int>(ui::VcamSizes().size()) - 1))];
  const std::string& format = ui::VcamFormats()[static_cast<size_t>(
      std::clamp(view.vcam_format, 0, static_cast<int>(ui::VcamFormats().size()) - 1))];
  const int fps = ui::VcamRates()[static_cast<size_t>(
      std::clamp(view.vcam_fps, 0, static_cast<int>(ui::VcamRates().size()) - 1))];
  return "v4l2:" + entry.path + "?size=" + std::to_string(size.first) + "x" +
         std::to_string(size.second) + "&format=" + format + "&fps=" + std::to_string(fps);
}

std::string VcamTarget(const std::string& spec) {
  auto parsed = output::ParseSinkSpec(spec);
  if (!parsed.ok()) return spec;
  const output::CameraOptions& c = parsed->camera;
  std::string format = output::CameraPixelFormatName(c.format);
  for (char& ch : format) ch = static_cast<char>(ch - 'a' + 'A');
  char fps[32];
  std::snprintf(fps, sizeof(fps), "%g", c.fps);
  return parsed->path + " " + std::to_string(c.width) + "x" + std::to_string(c.height) + " " +
         format + " " + fps + " fps";
}

void SelectVcamSpec(const std::string& spec, ui::ViewState& view) {
  auto parsed = output::ParseSinkSpec(spec);
  if (!parsed.ok()) return;
  const output::CameraOptions& c = parsed->camera;
  const auto& sizes = ui::VcamSizes();
  const auto size = std::find(sizes.begin(), sizes.end(), std::make_pair(c.width, c.height));
  if (size != sizes.end()) view.vcam_size = static_cast<int>(size - sizes.begin());
  const auto& formats = ui::VcamFormats();
  const auto format =
      std::find(formats.begin(), formats.end(), output::CameraPixelFormatName(c.format));
  if (format != formats.end()) view.vcam_format = static_cast<int>(format - formats.begin());
  const auto& rates = ui::VcamRates();
  const auto rate = std::find(rates.begin(), rates.end(), static_cast<int>(std::lround(c.fps)));
  if (rate != rates.end()) view.vcam_fps = static_cast<int>(rate - rates.begin());
  const int device = IndexOfPath(view.vcams, parsed->path);
  if (device >= 0) view.vcam_index = device;
}

void ApplySettings(const Settings& s, ui::ViewState& view) {
  view.effect_on = s.effect_on;
  view.split_view = s.split_view;
  view.split = s.split;
  view.show_landmarks = s.show_landmarks;
  view.show_warp_regions = s.show_warp_regions;
  view.show_panel = s.show_panel;
  if (!s.vcam_path.empty()) {
    char fps[32];
    std::snprintf(fps, sizeof(fps), "%g", s.vcam_fps);
    SelectVcamSpec("v4l2:" + s.vcam_path + "?size=" + std::to_string(s.vcam_width) + "x" +
                       std::to_string(s.vcam_height) + "&format=" + s.vcam_format + "&fps=" + fps,
                   view);
  }
}

void StoreSettings(const ui::ViewState& view, const std::string& camera_path, int camera_width,
                   int camera_height, double camera_fps, Settings& s) {
  s.effect_on = view.effect_on;
  s.split_view = view.split_view;
  s.split = view.split;
  s.show_landmarks = view.show_landmarks;
  s.show_warp_regions = view.show_warp_regions;
  s.show_panel = view.show_panel;
  if (!camera_path.empty()) {
    s.camera_path = CameraPath(camera_path);
    s.camera_name.clear();
    const int index = IndexOfPath(view.cameras, s.camera_path);
    if (index >= 0) {
      const std::string& label = view.cameras[static_cast<size_t>(index)].label;
      s.camera_name = label.substr(0, label.rfind(" ("));
    }
    s.camera_width = camera_width;
    s.camera_height = camera_height;
    s.camera_fps = camera_fps;
  }
  const std::string spec = VcamSpec(view);
  auto parsed = output::ParseSinkSpec(spec);
  if (!spec.empty() && parsed.ok()) {
    s.vcam_path = parsed->path;
    s.vcam_width = parsed->camera.width;
    s.vcam_height = parsed->camera.height;
    s.vcam_format = output::CameraPixelFormatName(parsed->camera.format);
    s.vcam_fps = parsed->camera.fps;
  }
}

std::string RememberedCamera(const Settings& settings) {
  if (!settings.camera_name.empty()) {
    auto by_name = capture::FindCameraByName(capture::ListCameras(), settings.camera_name);
    if (by_name.ok()) return *by_name;
  }
  if (!settings.camera_path.empty() && capture::CheckCaptureDevice(settings.camera_path).ok()) {
    return settings.camera_path;
  }
  return "";
}

}  // namespace fw::app
