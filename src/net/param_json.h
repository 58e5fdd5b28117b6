// The parameter table over JSON: values, the table itself, and all-or-nothing updates whose
// errors are --set's own messages. Pure; thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/params.h"
#include "net/api_error.h"

namespace fw::net {

// {"thin": 1.4, ...} in table order.
nlohmann::ordered_json ParamValuesJson(const core::Params& params);
// [{"key", "label", "help", "min", "max", "default", "unit", "integer", "group"}, ...]
nlohmann::ordered_json ParamTableJson();

// Applies every key of `object` (a JSON object of key -> number) to `params`, or none of them:
// the first unknown key, non-number or out-of-range value is a 400 with the message --set
// gives for it.
std::optional<ApiError> ApplyParamsJson(const nlohmann::json& object, core::Params& params);

}  // namespace fw::net
