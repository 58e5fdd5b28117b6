#include "core/params.h"

#include <cmath>
#include <optional>
#include <sstream>

#include "core/number_parse.h"

namespace fw::core {

namespace {

std::string FormatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

const std::vector<ParamSpec>& ParamTable() {
  static const std::vector<ParamSpec> kTable = {
      {"slim", "Slim face",
       "Contour slimming: the jaw line moves toward the face's axis, most at the cheeks, less "
       "on the far side of a turned face; hair and background stay put.",
       0.0, 1.0, 0.7, "", false, "Face", &Params::slim},
      {"eyes", "Enlarge eyes",
       "Strength of the eye magnification (0 = off; stays below 1, where it would fold).", 0.0, 0.6,
       0.2, "", false, "Face", &Params::eyes},
      {"eye_radius", "Eye radius",
       "Radius of each eye warp, in multiples of the eye's corner-to-corner width.", 0.5, 2.0, 1.5,
       "x", false, "Face", &Params::eye_radius},
      {"thin", "Cheek pull",
       "Strength of the classic cheek pull toward the nose tip (1 with radius 1 = the classic "
       "warp; 0 = off, the contour slimming replaces it).",
       0.0, 3.0, 0.0, "", false, "Face", &Params::thin},
      {"thin_radius", "Cheek pull radius",
       "Radius of each cheek warp, in multiples of the jaw distance p3-p5 (p13-p15).", 0.5, 1.5,
       1.2, "x", false, "Face", &Params::thin_radius},
      {"chin_length", "Chin length",
       "Lengthens (> 0) or shortens (< 0) the chin along the face's axis.", -1.0, 1.0, 0.0, "",
       false, "Shape", &Params::chin_length},
      {"jaw_width", "Jaw width",
       "Widens (> 0) or narrows (< 0, a V-line) the lower jaw toward the chin.", -1.0, 1.0, 0.0, "",
       false, "Shape", &Params::jaw_width},
      {"nose_width", "Nose width", "Widens (> 0) or narrows (< 0) the wings of the nose.", -1.0,
       1.0, 0.0, "", false, "Shape", &Params::nose_width},
      {"mouth_width", "Mouth width", "Widens (> 0) or narrows (< 0) the mouth at its corners.",
       -1.0, 1.0, 0.0, "", false, "Shape", &Params::mouth_width},
      {"forehead_height", "Forehead height",
       "Raises (> 0) or lowers (< 0) the top of the forehead above the brows.", -1.0, 1.0, 0.0, "",
       false, "Shape", &Params::forehead_height},
      {"eye_distance", "Eye distance", "Moves the eyes apart (> 0) or closer together (< 0).", -1.0,
       1.0, 0.0, "", false, "Shape", &Params::eye_distance},
      {"age", "Age",
       "Face aging: wrinkles, age spots, older skin tone and texture, greyer hair (0 = off).", 0.0,
       1.0, 0.0, "", false, "Looks", &Params::age},
      {"skin_smooth", "Smooth skin",
       "Edge-preserving smoothing of the skin, sparing eyes, brows, nostrils and lips (0 = off).",
       0.0, 1.0, 0.0, "", false, "Looks", &Params::skin_smooth},
      {"detector", "Face detector",
       "0: BlazeFace (CNN, finds turned and small faces; needs its model, see models/README.md), "
       "1: dlib's HOG (frontal faces of 80 px or more at detect_width).",
       0.0, 1.0, 0.0, "", true, "Tracking", &Params::detector},
      {"detect_width", "Detection width",
       "Frames wider than this are downscaled to this width for the face detector.", 160.0, 3840.0,
       640.0, "px", true, "Tracking", &Params::detect_width},
      {"detect_every", "Detect every",
       "In video, look for faces at most every N frames: where the picture shows something "
       "new, and at each followed face every half second; in between faces are tracked.",
       1.0, 120.0, 3.0, "frames", true, "Tracking", &Params::detect_every},
      {"smooth_min_cutoff", "Smoothing cutoff",
       "Landmark smoothing (One Euro filter) cutoff while the face is still: lower removes more "
       "jitter, higher follows slow drifts sooner.",
       0.01, 20.0, 0.25, "Hz", false, "Smoothing", &Params::smooth_min_cutoff},
      {"smooth_beta", "Smoothing speed",
       "How much the smoothing cutoff rises with motion, in Hz per eye distance per second of "
       "face speed: higher follows fast motion with less lag, lower smooths more while moving.",
       0.0, 50.0, 12.0, "", false, "Smoothing", &Params::smooth_beta},
      {"smooth_ahead", "Look ahead (files)",
       "Video from a file: each frame waits for this much of the video after it, so that its "
       "landmarks are smoothed without lag (0: smoothed as live). Live video never waits.",
       0.0, 0.5, 0.1, "s", false, "Smoothing", &Params::smooth_ahead},
  };
  return kTable;
}

Params DefaultParams() {
  Params p;
  for (const ParamSpec& spec : ParamTable()) p.*spec.field = spec.def;
  return p;
}

const ParamSpec* FindParam(std::string_view key) {
  for (const ParamSpec& spec : ParamTable()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

double Get(const Params& p, const ParamSpec& spec) { return p.*spec.field; }

bool SameValues(const Params& a, const Params& b) {
  for (const ParamSpec& spec : ParamTable()) {
    if (a.*spec.field != b.*spec.field) return false;
  }
  return true;
}

Status Set(Params& p, const ParamSpec& spec, double value) {
  if (!std::isfinite(value) || value < spec.min || value > spec.max) {
    return Error::Usage("parameter '" + std::string(spec.key) + "' = " + FormatNumber(value) +
                        " is out of range; valid range is [" + FormatNumber(spec.min) + ", " +
                        FormatNumber(spec.max) + "]");
  }
  if (spec.integer && value != std::floor(value)) {
    return Error::Usage("parameter '" + std::string(spec.key) + "' = " + FormatNumber(value) +
                        " must be a whole number in [" + FormatNumber(spec.min) + ", " +
                        FormatNumber(spec.max) + "]");
  }
  p.*spec.field = value;
  return Status::Ok();
}

Status SetFromString(Params& p, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Error::Usage("--set expects KEY=VALUE, got '" + std::string(assignment) +
                        "'; valid keys: " + ParamKeyList());
  }
  const std::string key(assignment.substr(0, eq));
  const std::string text(assignment.substr(eq + 1));
  const ParamSpec* spec = FindParam(key);
  if (spec == nullptr) {
    return Error::Usage("unknown parameter '" + key + "'; valid keys: " + ParamKeyList());
  }
  const std::optional<double> value = ParseDecimal(text);
  if (!value) {
    return Error::Usage("parameter '" + key + "' needs a number, got '" + text +
                        "'; valid range is [" + FormatNumber(spec->min) + ", " +
                        FormatNumber(spec->max) + "]");
  }
  return Set(p, *spec, *value);
}

std::string ParamKeyList() {
  std::string out;
  for (const ParamSpec& spec : ParamTable()) {
    if (!out.empty()) out += ", ";
    out += spec.key;
  }
  return out;
}

std::string ParamHelpText() {
  std::ostringstream os;
  os << "Parameters (--set KEY=VALUE, or a preset file):\n";
  for (const ParamSpec& spec : ParamTable()) {
    os << "  " << spec.key << "  [" << FormatNumber(spec.min) << ", " << FormatNumber(spec.max)
       << "] default " << FormatNumber(spec.def);
    if (!spec.unit.empty()) os << " " << spec.unit;
    os << "\n      " << spec.help << "\n";
  }
  return os.str();
}

std::string ParamMarkdownTable() {
  std::ostringstream os;
  os << "| key | what | range | default |\n|---|---|---|---|\n";
  for (const ParamSpec& spec : ParamTable()) {
    const std::string unit = spec.unit.empty() ? "" : " " + std::string(spec.unit);
    os << "| `" << spec.key << "` | " << spec.help << " | " << FormatNumber(spec.min) << " - "
       << FormatNumber(spec.max) << unit << " | " << FormatNumber(spec.def) << " |\n";
  }
  return os.str();
}

}  // namespace fw::core
