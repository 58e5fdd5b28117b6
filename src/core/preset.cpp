#include "core/preset.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/atomic_file.h"
#include "core/bounded_file.h"
#include "core/data_dir.h"

namespace fw::core {

namespace {

namespace fs = std::filesystem;

constexpr int kPresetVersion = 1;
constexpr const char* kPresetSuffix = ".json";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A name, as opposed to a path: no directory part and no ".json" ending.
bool IsPresetName(const std::string& s) {
  return !s.empty() && s.find('/') == std::string::npos && !EndsWith(s, kPresetSuffix);
}

Status LoadPresetFile(const std::string& path, Params& params) {
  FW_ASSIGN_OR_RETURN(const std::string text, ReadBoundedFile(path, "preset", kMaxPresetBytes));
  return PresetFromJson(text, path, params);
}

}  // namespace

std::vector<std::string> PresetDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("FACEWARP_PRESET_DIR"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  for (std::string& dir : DataDirs("presets")) dirs.push_back(std::move(dir));
  return dirs;
}

std::vector<std::string> ListPresetNames() {
  std::vector<std::string> names;
  for (const std::string& dir : PresetDirs()) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() == kPresetSuffix && it->is_regular_file(ec)) {
        names.push_back(p.stem().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<std::string> FindPreset(const std::string& name) {
  if (IsPresetName(name)) {
    for (const std::string& dir : PresetDirs()) {
      const fs::path file = fs::path(dir) / (name + kPresetSuffix);
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) return file.string();
    }
  }
  std::string known;
  for (const std::string& n : ListPresetNames()) known += (known.empty() ? "" : ", ") + n;
  return Error::Usage("unknown preset '" + name + "'; presets: " +
                      (known.empty() ? "none found" : known) + " (or give a FILE.json)");
}

std::string PresetToJson(const Params& params) {
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  for (const ParamSpec& spec : ParamTable()) values[std::string(spec.key)] = Get(params, spec);
  nlohmann::ordered_json doc;
  doc["facewarp_preset"] = kPresetVersion;
  doc["params"] = values;
  return doc.dump(2) + "\n";
}

Status PresetFromJson(const std::string& json_text, const std::string& origin, Params& params) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error::Runtime("preset " + origin + " is not a valid JSON object");
  }
  if (!doc.contains("params") || !doc["params"].is_object()) {
    return Error::Runtime("preset " + origin +
                          " has no \"params\" object (expected {\"facewarp_preset\": 1, "
                          "\"params\": {\"thin\": ...}})");
  }
  Params updated = params;
  for (const auto& [key, value] : doc["params"].items()) {
    const ParamSpec* spec = FindParam(key);
    if (spec == nullptr) {
      return Error::Usage("preset " + origin + ": unknown parameter '" + key +
                          "'; valid keys: " + ParamKeyList());
    }
    if (!value.is_number()) {
      return Error::Usage("preset " + origin + ": parameter '" + key + "' must be a number");
    }
    Status s = Set(updated, *spec, value.get<double>());
    if (!s.ok()) return Error::Usage("preset " + origin + ": " + s.error().message);
  }
  params = updated;
  return Status::Ok();
}

Status LoadPreset(const std::string& path_or_name, Params& params) {
  if (!IsPresetName(path_or_name)) return LoadPresetFile(path_or_name, params);
  auto file = FindPreset(path_or_name);
  if (!file) return file.error();
  return LoadPresetFile(*file, params);
}

Status SavePreset(const std::string& path, const Params& params) {
  return WriteFileAtomically(path, PresetToJson(params));
}

}  // namespace fw::core
