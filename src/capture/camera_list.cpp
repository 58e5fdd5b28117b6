#include "capture/camera_list.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace fw::capture {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FpsText(double fps) {
  char text[32];
  if (std::abs(fps - std::round(fps)) < 0.01) {
    std::snprintf(text, sizeof(text), "%.0f", fps);
  } else {
    std::snprintf(text, sizeof(text), "%.2f", fps);
  }
  return text;
}

std::string SizeText(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

}  // namespace

std::vector<CameraInfo> ListCameras(output::V4l2Device& device, const std::string& dir) {
  return output::CameraNodes(output::QueryV4l2Nodes(device, output::ListVideoNodes(dir)));
}

std::vector<CameraInfo> ListCameras() { return ListCameras(*output::SystemV4l2Device()); }

std::string CameraListText(const std::vector<CameraInfo>& cameras) {
  if (cameras.empty()) {
    return "facewarp: no camera found (no V4L2 video capture device in /dev; "
           "v4l2-ctl --list-devices lists what the system sees)\n";
  }
  std::string text;
  for (const CameraInfo& camera : cameras) {
    text += camera.path + "  \"" + (camera.card.empty() ? "?" : camera.card) + "\"";
    if (!camera.driver.empty()) text += "  (" + camera.driver + ")";
    if (camera.index >= 0) text += "  --input " + std::to_string(camera.index);
    text += "\n";
    if (!camera.problem.empty()) text += "    " + camera.problem + "\n";
    for (const output::V4l2Format& format : camera.formats) {
      text += "    " + format.name;
      if (!format.description.empty()) text += " (" + format.description + ")";
      text += ":";
      if (format.sizes.empty()) text += " no sizes reported";
      for (size_t i = 0; i < format.sizes.size(); ++i) {
        const output::V4l2FrameSize& size = format.sizes[i];
        text += (i == 0 ? " " : ", ") + SizeText(size.width, size.height);
        if (!size.fps.empty()) {
          text += " @ ";
          for (size_t j = 0; j < size.fps.size(); ++j) {
            text += (j == 0 ? "" : "/") + FpsText(size.fps[j]);
          }
          text += " fps";
        }
      }
      text += "\n";
    }
  }
  return text;
}

std::vector<CameraMode> CameraModes(const CameraInfo& camera) {
  // (area, width, height, fps) -> formats offering it
  std::map<std::tuple<int64_t, int, int, double>, std::vector<std::string>> modes;
  for (const output::V4l2Format& format : camera.formats) {
    for (const output::V4l2FrameSize& size : format.sizes) {
      std::vector<double> rates = size.fps;
      if (rates.empty()) rates.push_back(30.0);
      for (double fps : rates) {
        const double rounded = std::round(fps * 100.0) / 100.0;
        auto& names = modes[{-static_cast<int64_t>(size.width) * size.height, -size.width,
                             size.height, -rounded}];
        if (std::find(names.begin(), names.end(), format.name) == names.end()) {
          names.push_back(format.name);
        }
      }
    }
  }
  std::vector<CameraMode> out;
  for (const auto& [key, names] : modes) {
    CameraMode mode;
    mode.width = -std::get<1>(key);
    mode.height = std::get<2>(key);
    mode.fps = -std::get<3>(key);
    mode.label = SizeText(mode.width, mode.height) + " @ " + FpsText(mode.fps) + " fps (";
    for (size_t i = 0; i < names.size(); ++i) mode.label += (i == 0 ? "" : ", ") + names[i];
    mode.label += ")";
    out.push_back(std::move(mode));
  }
  return out;
}

core::Result<std::string> FindCameraByName(const std::vector<CameraInfo>& cameras,
                                           const std::string& name) {
  const std::string wanted = Lower(name);
  for (const CameraInfo& camera : cameras) {
    if (!camera.card.empty() && Lower(camera.card) == wanted) return camera.path;
  }
  std::vector<const CameraInfo*> partial;
  for (const CameraInfo& camera : cameras) {
    if (!wanted.empty() && Lower(camera.card).find(wanted) != std::string::npos) {
      partial.push_back(&camera);
    }
  }
  if (partial.size() == 1) return partial.front()->path;
  if (partial.empty()) {
    return core::Error::Runtime("no camera is called \"" + name +
                                "\" (facewarp --list-cameras lists them)");
  }
  std::string names;
  for (const CameraInfo* camera : partial) {
    names += (names.empty() ? "" : ", ") + camera->path + " \"" + camera->card + "\"";
  }
  return core::Error::Usage("\"" + name + "\" matches several cameras: " + names +
                            "; give the full name or the path");
}

}  // namespace fw::capture
