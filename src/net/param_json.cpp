#include "net/param_json.h"

#include <string>

namespace fw::net {

nlohmann::ordered_json ParamValuesJson(const core::Params& params) {
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    values[std::string(spec.key)] = core::Get(params, spec);
  }
  return values;
}

nlohmann::ordered_json ParamTableJson() {
  nlohmann::ordered_json table = nlohmann::ordered_json::array();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    table.push_back({{"key", spec.key},
                     {"label", spec.label},
                     {"help", spec.help},
                     {"min", spec.min},
                     {"max", spec.max},
                     {"default", spec.def},
                     {"unit", spec.unit},
                     {"integer", spec.integer},
                     {"group", spec.group}});
  }
  return table;
}

std::optional<ApiError> ApplyParamsJson(const nlohmann::json& object, core::Params& params) {
  if (!object.is_object()) {
    return ApiError{400, "expected a JSON object of parameter values, e.g. {\"thin\": 2}; "
                         "valid keys: " + core::ParamKeyList()};
  }
  core::Params updated = params;
  for (const auto& [key, value] : object.items()) {
    if (key.empty() || key.find('=') != std::string::npos || core::FindParam(key) == nullptr) {
      return ApiError{400, "unknown parameter '" + key + "'; valid keys: " + core::ParamKeyList()};
    }
    // A number goes through --set's own parser, so every message is the one --set gives; other
    // JSON values (strings, booleans) are shown as JSON and refused as non-numbers.
    const core::Status s = core::SetFromString(updated, key + "=" + value.dump());
    if (!s.ok()) return ApiError{400, s.error().message};
  }
  params = updated;
  return std::nullopt;
}

}  // namespace fw::net
