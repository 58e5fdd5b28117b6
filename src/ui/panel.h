// The ImGui control panel of the live preview: sliders generated from the parameter table,
// effect and view toggles, live statistics, camera and preset controls. ImGui calls only (no
// GL, no GLFW): the app draws it between ImGui::NewFrame() and ImGui::Render(). Main thread
// only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/params.h"
#include "core/stats.h"

namespace fw::ui {

// What the pipeline reports to the panel each frame.
struct PanelStats {
  double fps = 0.0;     // displayed frames per second
  int faces = 0;        // faces being warped
  int64_t frames = 0;   // frames shown
  int64_t dropped = 0;  // frames dropped (capture + tracking mailboxes)
  // Per pipeline stage (core::Stage, capture to output): p50 and p95.
  std::array<double, core::kPipelineStages> stage_ms{};
  std::array<double, core::kPipelineStages> stage_p95_ms{};
  double latency_ms = 0.0;  // capture to display, p50
  std::string source;       // e.g. "camera 0 (1280x720 @ 30 fps)" or a file name
  std::string status;       // "" or e.g. "camera lost - reconnecting"
  std::string backend;      // "gl" or "cpu"
  std::string shader_log;   // non-empty while a shader edit fails to compile
  std::string error;        // a worker thread's error, shown in red
  bool recording = false;
  bool still = false;  // a photo: shown once, so there is no frame rate to speak of
  // The virtual camera: running, what it writes to ("/dev/video10 1280x720 YUYV 30 fps"), the
  // frames handed to it, and its last error.
  bool vcam_on = false;
  std::string vcam_target;
  int64_t vcam_frames = 0;
  std::string vcam_error;
  // Refreshed a few times a second; the history plots take one sample per refresh.
  bool new_sample = true;
};

// Requests the panel makes; the app performs them and clears the one-shot flags.
struct PanelActions {
  bool save_screenshot = false;  // PNG of the filtered frame, without the UI
  bool save_preset = false;      // to preset_path
  bool load_preset = false;      // from preset_path
  bool toggle_recording = false;
  bool switch_camera = false;    // to camera_index at camera_mode
  bool refresh_devices = false;  // enumerate cameras and virtual cameras again
  bool toggle_vcam = false;      // start (with vcam_*) or stop the virtual camera
  bool quit = false;
};

struct CameraMode {
  int width;
  int height;
  double fps;
  std::string label;
};

// A camera or a virtual camera (V4L2 output) device as the panel lists it.
struct DeviceEntry {
  std::string path;               // "/dev/video10"
  std::string label;              // "facewarp (/dev/video10)"
  std::string problem;            // "" or why it cannot be used now ("busy: ...")
  std::vector<CameraMode> modes;  // a camera's real modes; empty for outputs
};

// View state the panel edits and the renderer reads.
struct ViewState {
  bool effect_on = true;
  bool split_view = false;  // left half original, right half filtered
  bool show_landmarks = false;
  bool show_warp_regions = false;
  bool show_panel = true;
  std::string preset_path = "facewarp-preset.json";
  float split = 0.5f;  // the divider's position, as a fraction of the picture's width
  // Cameras, filled by the app: camera_index picks one of `cameras` (or /dev/videoN while the
  // list is empty), camera_mode one of its modes (or of CameraModes()).
  std::vector<DeviceEntry> cameras;
  std::vector<std::string> preset_names;  // shipped looks for the dropdown (the app fills it)
  int preset_choice = -1;                 // index into preset_names, -1 before any pick
  int camera_index = 0;
  int camera_mode = 1;
  // Virtual camera: the devices found, and the size, format and rate to write.
  std::vector<DeviceEntry> vcams;
  int vcam_index = 0;
  int vcam_size = 1;      // into VcamSizes()
  int vcam_format = 0;    // into VcamFormats()
  int vcam_fps = 3;       // into VcamRates()
  std::string vcam_hint;  // the command that creates a loopback device, shown when none exists
  std::string message;    // last action's result, e.g. "saved shot.png"
};

// Modes offered for a camera that reports none.
const std::vector<CameraMode>& CameraModes();
// The modes a camera entry offers: its own, or CameraModes().
const std::vector<CameraMode>& ModesOf(const ViewState& view);
// Virtual camera choices: sizes (WxH), formats (the v4l2: spec's names), rates.
const std::vector<std::pair<int, int>>& VcamSizes();
const std::vector<std::string>& VcamFormats();
const std::vector<int>& VcamRates();

// Keyboard shortcuts, listed in the panel and the README.
struct Shortcut {
  const char* keys;
  const char* what;
};
const std::vector<Shortcut>& Shortcuts();

class Panel {
 public:
  Panel();

  // Draws the panel window; parameter edits change `params` in place, view toggles `view`.
  // Returns the actions requested this frame. Keyboard shortcuts are handled here too, also
  // while the panel is hidden.
  PanelActions Draw(core::Params& params, ViewState& view, const PanelStats& stats);

  // Screen rectangle of a widget as laid out by the last Draw(), in pixels, origin top-left.
  // Names: a parameter's key (its slider), "reset:" + key (its reset button), "reset_all",
  // "preset_path" (the text field), "preset_look" (the shipped looks dropdown), "switch_camera",
  // "vcam_toggle" (start/stop the virtual camera), "vcam_copy" (copy the modprobe line). nullopt
  // if it was not visible (panel hidden, section collapsed, scrolled away). Lets tests drive the
  // panel with simulated mouse input.
  struct WidgetRect {
    float x0, y0, x1, y1;
  };
  std::optional<WidgetRect> LastRect(std::string_view name) const;

  // The panel's width in the last Draw(), in ImGui pixels; 0 when hidden or collapsed (so the
  // video can use the whole window).
  float width() const { return width_; }

 private:
  // Per ParamTable() row, built once so that drawing allocates nothing; ImGui wants
  // NUL-terminated strings.
  struct SliderText {
    std::string format;      // printf format with the unit, e.g. "%.2f x"
    std::string reset_name;  // "reset:" + key, the LastRect() name of its reset button
    bool logarithmic;        // ranges spanning decades get a log scale
  };

  void DrawParams(core::Params& params, ViewState& view);
  void DrawParamRow(core::Params& params, ViewState& view, size_t index, float slider_x);
  void DrawStats(const PanelStats& stats);
  void DrawPresets(ViewState& view, PanelActions& actions);
  void RecordLastItem(std::string_view name);

  // One sample per stats refresh (4 a second): 30 s of history.
  static constexpr int kHistory = 120;
  std::array<float, kHistory> fps_history_{};
  std::array<std::array<float, kHistory>, core::kPipelineStages> p50_history_{};
  std::array<std::array<float, kHistory>, core::kPipelineStages> p95_history_{};
  int history_pos_ = 0;
  int history_count_ = 0;
  int plot_stage_ = static_cast<int>(core::Stage::kDetect);  // whose p50/p95 history is plotted
  float width_ = 0.0f;
  std::vector<SliderText> slider_text_;
  std::vector<std::string> groups_;  // distinct ParamSpec::group values, in table order
  // Reserved once; cleared and refilled each frame without allocating.
  std::vector<std::pair<std::string_view, WidgetRect>> rects_;
};

}  // namespace fw::ui
