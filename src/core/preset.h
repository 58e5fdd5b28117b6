// Presets: JSON files holding parameter values, read and written through the parameter table.
// Format: {"facewarp_preset": 1, "params": {"thin": 3.0, ...}}; keys left out keep their
// current value. Thread-compatible (no shared state).
#pragma once

#include <string>

#include "core/params.h"
#include "core/result.h"

namespace fw::core {

// Applies the preset at `path` on top of `params`. Unknown keys, non-numbers and out-of-range
// values are usage errors naming the file and key; a missing or unparsable file is a runtime
// error. On error `params` is left unchanged.
Status LoadPreset(const std::string& path, Params& params);

// Writes every parameter of `params` (atomically: temporary file, then rename).
Status SavePreset(const std::string& path, const Params& params);

std::string PresetToJson(const Params& params);
Status PresetFromJson(const std::string& json_text, const std::string& origin, Params& params);

}  // namespace fw::core
