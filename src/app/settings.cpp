#include "app/settings.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/bounded_file.h"
#include "core/preset.h"

namespace fw::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

template <class T>
void Read(const json& object, const char* key, T& value) {
  const auto it = object.find(key);
  if (it == object.end()) return;
  try {
    value = it->get<T>();
  } catch (const json::exception&) {
    // wrong type: keep the default
  }
}

const json& Section(const json& root, const char* key) {
  static const json kEmpty = json::object();
  const auto it = root.find(key);
  return it != root.end() && it->is_object() ? *it : kEmpty;
}

// Every remembered field but the parameters, once, for writing and reading:
// f(section, key, member), section "" for the top level. S is Settings or const Settings.
template <class S, class F>
void ForEachField(S& s, F&& f) {
  f("camera", "name", s.camera_name);
  f("camera", "path", s.camera_path);
  f("camera", "width", s.camera_width);
  f("camera", "height", s.camera_height);
  f("camera", "fps", s.camera_fps);
  f("virtual_camera", "path", s.vcam_path);
  f("virtual_camera", "width", s.vcam_width);
  f("virtual_camera", "height", s.vcam_height);
  f("virtual_camera", "format", s.vcam_format);
  f("virtual_camera", "fps", s.vcam_fps);
  f("view", "effect", s.effect_on);
  f("view", "split_view", s.split_view);
  f("view", "split", s.split);
  f("view", "landmarks", s.show_landmarks);
  f("view", "warp_regions", s.show_warp_regions);
  f("view", "panel", s.show_panel);
  f("", "panel_layout", s.panel_layout);
}

}  // namespace

std::string SettingsPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/facewarp/settings.json";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.config/facewarp/settings.json";
  }
  return "";
}

std::string SettingsToJson(const Settings& s) {
  json params = json::object();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    params[std::string(spec.key)] = core::Get(s.params, spec);
  }
  json root = {{"facewarp_settings", kSettingsVersion}, {"params", params}};
  ForEachField(s, [&root](const char* section, const char* key, const auto& value) {
    (*section != '\0' ? root[section] : root)[key] = value;
  });
  return root.dump(2) + "\n";
}

core::Result<Settings> SettingsFromJson(const std::string& text) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    return core::Error::Runtime(text.find_first_not_of(" \t\r\n") == std::string::npos
                                    ? "the file is empty"
                                    : "it is not valid JSON (error at byte " +
                                          std::to_string(e.byte) + ")");
  }
  if (!root.is_object() || !root.contains("facewarp_settings") ||
      !root["facewarp_settings"].is_number_integer()) {
    return core::Error::Runtime("it is not a facewarp settings file");
  }
  const int version = root["facewarp_settings"].get<int>();
  if (version > kSettingsVersion) {
    return core::Error::Runtime("it was written by a newer facewarp (version " +
                                std::to_string(version) + ")");
  }
  Settings s;
  ForEachField(s, [&root](const char* section, const char* key, auto& value) {
    Read(*section != '\0' ? Section(root, section) : root, key, value);
  });
  const json& params = Section(root, "params");
  for (const core::ParamSpec& spec : core::ParamTable()) {
    double value = spec.def;
    Read(params, std::string(spec.key).c_str(), value);
    if (!core::Set(s.params, spec, value).ok()) (void)core::Set(s.params, spec, spec.def);
  }
  if (!(s.split >= 0.0f && s.split <= 1.0f)) s.split = 0.5f;
  if (s.camera_width < 0 || s.camera_height < 0 || s.camera_width > 16384 ||
      s.camera_height > 16384 || !(s.camera_fps >= 0.0 && s.camera_fps <= 1000.0)) {
    s.camera_width = s.camera_height = 0;
    s.camera_fps = 0.0;
  }
  const Settings defaults;
  if (s.vcam_width < 2 || s.vcam_width > 8192 || s.vcam_width % 2 != 0 || s.vcam_height < 2 ||
      s.vcam_height > 8192 || s.vcam_height % 2 != 0) {
    s.vcam_width = defaults.vcam_width;
    s.vcam_height = defaults.vcam_height;
  }
  if (s.vcam_format != "yuyv" && s.vcam_format != "i420") s.vcam_format = defaults.vcam_format;
  if (!(s.vcam_fps >= 1.0 && s.vcam_fps <= 240.0)) s.vcam_fps = defaults.vcam_fps;
  return s;
}

LoadedSettings LoadSettings(const std::string& path) {
  LoadedSettings loaded;
  if (path.empty()) return loaded;
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return loaded;  // first run
  const std::string prefix = "facewarp: warning: ignoring the settings in " + path + ": ";
  // Bounded, and only a regular file: a FIFO or /dev/zero here must not hang or fill memory.
  auto text = core::ReadBoundedFile(path, "settings", core::kMaxPresetBytes);
  if (!text.ok()) {
    const std::string head = "cannot read settings " + path + ": ";
    const std::string& why = text.error().message;
    loaded.warning = prefix + "cannot read it (" +
                     (why.rfind(head, 0) == 0 ? why.substr(head.size()) : why) +
                     "); using the defaults";
    loaded.may_save = false;  // what cannot be read is not ours to replace
    return loaded;
  }
  auto parsed = SettingsFromJson(*text);
  if (!parsed.ok()) {
    loaded.warning = prefix + parsed.error().message + "; using the defaults";
    loaded.may_save = parsed.error().message.find("newer facewarp") == std::string::npos;
    return loaded;
  }
  loaded.settings = std::move(parsed).value();
  return loaded;
}

core::Result<core::Params> PreviewParams(const core::Params& remembered, const std::string& preset,
                                         const std::vector<std::string>& sets) {
  core::Params params = remembered;
  if (!preset.empty()) FW_RETURN_IF_ERROR(core::LoadPreset(preset, params));
  for (const std::string& s : sets) FW_RETURN_IF_ERROR(core::SetFromString(params, s));
  return params;
}

core::Status SaveSettings(const std::string& path, const Settings& settings) {
  if (path.empty()) return core::Error::Runtime("no settings directory (HOME is not set)");
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) {
    return core::Error::Runtime("cannot create " + fs::path(path).parent_path().string() + ": " +
                                ec.message());
  }
  return core::WriteFileAtomically(path, SettingsToJson(settings));
}

}  // namespace fw::app
