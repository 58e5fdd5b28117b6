#include "core/preset.h"

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/bounded_file.h"

namespace fw::core {

namespace {
constexpr int kPresetVersion = 1;
}  // namespace

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

Status LoadPreset(const std::string& path, Params& params) {
  Result<std::string> text = ReadBoundedFile(path, "preset", kMaxPresetBytes);
  if (!text.ok()) return text.error();
  return PresetFromJson(*text, path, params);
}

Status SavePreset(const std::string& path, const Params& params) {
  return WriteFileAtomically(path, PresetToJson(params));
}

}  // namespace fw::core
