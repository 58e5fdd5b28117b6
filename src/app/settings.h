// Remembered settings of the live preview: the last camera and mode, the virtual camera
// choice, the parameter values, the view toggles and the panel layout, in
// $XDG_CONFIG_HOME/facewarp/settings.json (~/.config/facewarp/ without XDG_CONFIG_HOME),
// written atomically. Precedence: the command line over the file over the defaults. They
// apply to the live preview only: runs on files and headless runs always start from the
// defaults, so that scripts stay reproducible. Pure apart from the file I/O; main thread.
#pragma once

#include <string>
#include <vector>

#include "core/params.h"
#include "core/result.h"

namespace fw::app {

inline constexpr int kSettingsVersion = 1;

struct Settings {
  // The camera: its name first (paths change when cameras are plugged in another order).
  std::string camera_name;
  std::string camera_path;
  int camera_width = 0;  // 0: the default mode
  int camera_height = 0;
  double camera_fps = 0.0;
  // The virtual camera (v4l2loopback): device and mode; it is not started by itself.
  std::string vcam_path;
  int vcam_width = 1280;
  int vcam_height = 720;
  std::string vcam_format = "yuyv";
  double vcam_fps = 30.0;
  core::Params params = core::DefaultParams();
  bool effect_on = true;
  bool split_view = false;
  float split = 0.5f;
  bool show_landmarks = false;
  bool show_warp_regions = false;
  bool show_panel = true;
  std::string panel_layout;  // ImGui's ini text
};

// The settings file's path; "" when neither XDG_CONFIG_HOME nor HOME is set.
std::string SettingsPath();

struct LoadedSettings {
  Settings settings;
  // "" or one line for stderr: the file was damaged, empty, unreadable or from a newer
  // facewarp, and the defaults are used.
  std::string warning;
  // False for a file written by a newer facewarp: it is kept, not overwritten.
  bool may_save = true;
};

// Never fails: a missing file gives the defaults silently; any other problem gives the
// defaults and a warning.
LoadedSettings LoadSettings(const std::string& path);

// Creates the directory when needed and replaces the file atomically.
core::Status SaveSettings(const std::string& path, const Settings& settings);

// The live preview's parameters: the remembered ones, then the command line's preset and
// every --set on top (the command line wins).
core::Result<core::Params> PreviewParams(const core::Params& remembered,
                                         const std::string& preset,
                                         const std::vector<std::string>& sets);

std::string SettingsToJson(const Settings& settings);
// Values out of range or of the wrong type are left at their defaults; unknown keys are
// ignored (a newer facewarp of the same version may add some).
core::Result<Settings> SettingsFromJson(const std::string& text);

}  // namespace fw::app
