// Presets: JSON files holding parameter values, read and written through the parameter table.
// Format: {"facewarp_preset": 1, "params": {"thin": 3.0, ...}}; keys left out keep their
// current value. Thread-compatible (no shared state).
#pragma once

#include <string>
#include <vector>

#include "core/params.h"
#include "core/result.h"

namespace fw::core {

// Applies a preset on top of `params`: `path_or_name` is a file path, or the name of a preset
// shipped with facewarp ("natural", "v-line": no '/' and no ".json" ending), looked up in
// PresetDirs(). Unknown keys, non-numbers and out-of-range values are usage errors naming the
// file and key; an unknown name is a usage error listing the names there are; a missing or
// unparsable file is a runtime error. On error `params` is left unchanged.
Status LoadPreset(const std::string& path_or_name, Params& params);

// Where shipped presets are looked for, in order: $FACEWARP_PRESET_DIR when set, then
// share/facewarp/presets beside the installed binary (../share/facewarp/presets), then the
// source tree's presets/.
std::vector<std::string> PresetDirs();
// The names (file names without ".json") of the shipped presets, sorted, each once.
std::vector<std::string> ListPresetNames();
// The file of the shipped preset `name`, from the first of PresetDirs() that holds it.
Result<std::string> FindPreset(const std::string& name);

// Writes every parameter of `params` (atomically: temporary file, then rename).
Status SavePreset(const std::string& path, const Params& params);

std::string PresetToJson(const Params& params);
Status PresetFromJson(const std::string& json_text, const std::string& origin, Params& params);

}  // namespace fw::core
