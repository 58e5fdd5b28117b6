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
  const json root = {
      {"facewarp_settings", kSettingsVersion},
      {"camera",
       {{"name", s.camera_name},
        {"path", s.camera_path},
        {"width", s.camera_width},
        {"height", s.camera_height},
        {"fps", s.camera_fps}}},
      {"virtual_camera",
       {{"path", s.vcam_path},
        {"width", s.vcam_width},
        {"height", s.vcam_height},
        {"format", s.vcam_format},
        {"fps", s.vcam_fps}}},
      {"params", params},
      {"view",
       {{"effect", s.effect_on},
        {"split_view", s.split_view},
        {"split", s.split},
        {"landmarks", s.show_landmarks},
        {"warp_regions", s.show_warp_regions},
        {"panel", s.show_panel}}},
      {"panel_layout", s.panel_layout},
  };
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
  const json& camera = Section(root, "camera");
  Read(camera, "name", s.camera_name);
  Read(camera, "path", s.camera_path);
  Read(camera, "width", s.camera_width);
  Read(camera, "height", s.camera_height);
  Read(camera, "fps", s.camera_fps);
  const json& vcam = Section(root, "virtual_camera");
  Read(vcam, "path", s.vcam_path);
  Read(vcam, "width", s.vcam_width);
  Read(vcam, "height", s.vcam_height);
  Read(vcam, "format", s.vcam_format);
  Read(vcam, "fps", s.vcam_fps);
  const json& params = Section(root, "params");
  for (const core::ParamSpec& spec : core::ParamTable()) {
    double value = spec.def;
    Read(params, std::string(spec.key).c_str(), value);
    if (!core::Set(s.params, spec, value).ok()) (void)core::Set(s.params, spec, spec.def);
  }
  const json& view = Section(root, "view");
  Read(view, "effect", s.effect_on);
  Read(view, "split_view", s.split_view);
  Read(view, "split", s.split);
  Read(view, "landmarks", s.show_landmarks);
  Read(view, "warp_regions", s.show_warp_regions);
  Read(view, "panel", s.show_panel);
  Read(root, "panel_layout", s.panel_layout);
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
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) {
    loaded.warning = prefix + "cannot read it (" +
                     (fs::is_directory(path, ec) ? std::string("a directory")
                                                 : std::string(std::strerror(errno))) +
                     "); using the defaults";
    loaded.may_save = false;  // what cannot be read is not ours to replace
    return loaded;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = SettingsFromJson(text.str());
  if (!parsed.ok()) {
    loaded.warning = prefix + parsed.error().message + "; using the defaults";
    loaded.may_save = parsed.error().message.find("newer facewarp") == std::string::npos;
    return loaded;
  }
  loaded.settings = std::move(parsed).value();
  return loaded;
}

core::Result<core::Params> PreviewParams(const core::Params& remembered,
                                         const std::string& preset,
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
