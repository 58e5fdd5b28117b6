// The parameter table: the single source of truth for every tunable (key, label, help, range,
// default, unit). The CLI's --set, presets, the help text and the ImGui panel are generated
// from it. Pure; the table is immutable and thread-safe to read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fw::core {

// A value snapshot of every tunable. Threads receive copies at frame boundaries.
struct Params {
  // Face warp.
  double thin = 0.0;
  double thin_radius = 0.0;
  double eyes = 0.0;
  double eye_radius = 0.0;
  // Face shape (contour slimming and the shape controls; warp/face_shape_ops.h).
  double slim = 0.0;
  double chin_length = 0.0;
  double jaw_width = 0.0;
  double nose_width = 0.0;
  double mouth_width = 0.0;
  double forehead_height = 0.0;
  double eye_distance = 0.0;
  // Appearance (looks/, after the warp).
  double age = 0.0;
  double skin_smooth = 0.0;
  // Tracking.
  double detector = 0.0;
  double detect_width = 0.0;
  double detect_every = 0.0;
  // Temporal smoothing (One Euro filter).
  double smooth_min_cutoff = 0.0;
  double smooth_beta = 0.0;
  double smooth_ahead = 0.0;  // seconds a file's frame waits for the ones after it
};

struct ParamSpec {
  std::string_view key;    // stable name used by --set, presets and scripts
  std::string_view label;  // short UI label
  std::string_view help;   // one sentence for tooltips and --help
  double min;
  double max;
  double def;
  std::string_view unit;   // "" when unitless
  bool integer;            // only whole numbers are valid
  std::string_view group;  // UI section: "Face", "Shape", "Tracking", "Smoothing"
  double Params::*field;
};

const std::vector<ParamSpec>& ParamTable();
Params DefaultParams();
const ParamSpec* FindParam(std::string_view key);

double Get(const Params& p, const ParamSpec& spec);
// True when every parameter of the table has the same value in a and b.
bool SameValues(const Params& a, const Params& b);
// Sets spec's field; rejects values outside [min, max] and non-integers for integer keys.
Status Set(Params& p, const ParamSpec& spec, double value);
// Parses "key=value" (as given to --set) and applies it. Errors name the key and list the
// valid keys, or give the valid range.
Status SetFromString(Params& p, std::string_view assignment);

// Comma-separated list of every key, for error messages.
std::string ParamKeyList();
// Multi-line description of every key (range, default, unit, help) for --help.
std::string ParamHelpText();
// The same as a Markdown table, as the README shows it.
std::string ParamMarkdownTable();

}  // namespace fw::core
