// The ImGui control panel: every parameter widget comes from core::ParamTable(), nothing is
// written per key. ImGui calls only; main thread only, between NewFrame() and Render().
#include "ui/panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "ui/devices_section.h"
#include "ui/history_plot.h"

namespace fw::ui {

namespace {

constexpr float kDefaultWidth = 400.0f;
constexpr float kMinWidth = 300.0f;
constexpr float kMaxWidthFraction = 0.6f;  // of the display, so the preview stays visible
const char* StageLabel(size_t i) { return core::StageName(static_cast<core::Stage>(i)); }
const ImVec4 kRed(1.0f, 0.4f, 0.4f, 1.0f);
const ImVec4 kAmber(1.0f, 0.78f, 0.25f, 1.0f);

// Fewest decimals (up to 3) that print `v` exactly, so that min and default read as in the table.
int DecimalsOf(double v) {
  for (int d = 0; d < 3; ++d) {
    const double scaled = v * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-9) return d;
  }
  return 3;
}

std::string SliderFormat(const core::ParamSpec& spec) {
  std::string format = "%d";
  if (!spec.integer) {
    const int decimals =
        std::max({spec.max - spec.min < 10.0 ? 2 : 1, DecimalsOf(spec.min), DecimalsOf(spec.def)});
    format = "%." + std::to_string(decimals) + "f";
  }
  if (!spec.unit.empty()) {
    format += ' ';
    for (char c : spec.unit) {
      if (c == '%') format += '%';  // printf escape
      format += c;
    }
  }
  return format;
}

void TextOf(std::string_view text) {
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
}

const char* OrDash(const std::string& s) { return s.empty() ? "-" : s.c_str(); }

void WrappedColored(const ImVec4& color, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void HelpTooltip(const core::ParamSpec& spec) {
  ImGui::TextDisabled("(?)");
  if (!ImGui::IsItemHovered()) return;
  const int key_len = static_cast<int>(spec.key.size());
  const int unit_len = static_cast<int>(spec.unit.size());
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  TextOf(spec.help);
  ImGui::TextDisabled("%g to %g%s%.*s, default %g; right-click the slider to reset", spec.min,
                      spec.max, spec.unit.empty() ? "" : " ", unit_len, spec.unit.data(), spec.def);
  ImGui::TextDisabled("--set %.*s=VALUE", key_len, spec.key.data());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Problems first, so that they are never scrolled or collapsed away.
void DrawAlerts(const PanelStats& stats) {
  if (!stats.status.empty()) WrappedColored(kAmber, stats.status.c_str());
  if (!stats.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("Error: %s", stats.error.c_str());
    ImGui::PopStyleColor();
  }
  if (!stats.shader_log.empty()) {
    ImGui::TextColored(kRed, "Shader compile failed:");
    ImGui::BeginChild("##shader_log", ImVec2(0.0f, ImGui::GetTextLineHeightWithSpacing() * 8.0f),
                      true, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextUnformatted(stats.shader_log.c_str(),
                           stats.shader_log.c_str() + stats.shader_log.size());
    ImGui::PopStyleColor();
    ImGui::EndChild();
  }
}

void DrawActionButtons(const ViewState& view, const PanelStats& stats, PanelActions& actions) {
  if (ImGui::Button("Screenshot (p)")) actions.save_screenshot = true;
  ImGui::SameLine();
  if (stats.recording) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.7f, 0.15f, 0.15f, 1.0f));
  // "###record" keeps one widget identity while the label changes.
  if (ImGui::Button(stats.recording ? "Stop recording (v)###record" : "Record (v)###record")) {
    actions.toggle_recording = true;
  }
  if (stats.recording) ImGui::PopStyleColor();
  ImGui::SameLine();
  if (ImGui::Button("Quit (q)")) actions.quit = true;
  if (!view.message.empty()) ImGui::TextWrapped("%s", view.message.c_str());
}

void DrawView(ViewState& view) {
  if (!ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const float second_column = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::Checkbox("Effect (e)", &view.effect_on);
  ImGui::SameLine(second_column);
  ImGui::Checkbox("Before/after (s)", &view.split_view);
  ImGui::Checkbox("Landmarks (l)", &view.show_landmarks);
  ImGui::SameLine(second_column);
  ImGui::Checkbox("Warp regions (r)", &view.show_warp_regions);
}

void DrawShortcuts() {
  if (!ImGui::CollapsingHeader("Shortcuts")) return;
  if (!ImGui::BeginTable("##shortcuts", 2, ImGuiTableFlags_SizingFixedFit)) return;
  for (const Shortcut& shortcut : Shortcuts()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(shortcut.keys);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(shortcut.what);
  }
  ImGui::EndTable();
}

void ApplyShortcut(unsigned int c, ViewState& view, PanelActions& actions) {
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  switch (c) {
    case 'e':
      view.effect_on = !view.effect_on;
      break;
    case 's':
      view.split_view = !view.split_view;
      break;
    case 'l':
      view.show_landmarks = !view.show_landmarks;
      break;
    case 'r':
      view.show_warp_regions = !view.show_warp_regions;
      break;
    case 'h':
      view.show_panel = !view.show_panel;
      break;
    case 'p':
      actions.save_screenshot = true;
      break;
    case 'v':
      actions.toggle_recording = true;
      break;
    case 'q':
      actions.quit = true;
      break;
    default:
      break;
  }
}

// Typed characters rather than key codes: they are backend-independent and follow the
// keyboard layout. Skipped while a widget has the keyboard, so typing a file name or a
// Ctrl+click slider value does not toggle the view.
void HandleShortcuts(ViewState& view, PanelActions& actions) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  for (const ImWchar c : io.InputQueueCharacters) ApplyShortcut(c, view, actions);
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) actions.quit = true;
}

}  // namespace

const std::vector<CameraMode>& CameraModes() {
  static const std::vector<CameraMode> kModes = {
      {640, 480, 30.0, "640x480 @ 30 fps"},
      {1280, 720, 30.0, "1280x720 @ 30 fps"},
      {1920, 1080, 30.0, "1920x1080 @ 30 fps"},
  };
  return kModes;
}

const std::vector<CameraMode>& ModesOf(const ViewState& view) {
  if (view.camera_index >= 0 && view.camera_index < static_cast<int>(view.cameras.size())) {
    const DeviceEntry& camera = view.cameras[static_cast<size_t>(view.camera_index)];
    if (!camera.modes.empty()) return camera.modes;
  }
  return CameraModes();
}

const std::vector<std::pair<int, int>>& VcamSizes() {
  static const std::vector<std::pair<int, int>> kSizes = {
      {640, 480}, {1280, 720}, {1920, 1080}, {640, 360}, {960, 540}};
  return kSizes;
}

const std::vector<std::string>& VcamFormats() {
  static const std::vector<std::string> kFormats = {"yuyv", "i420"};
  return kFormats;
}

const std::vector<int>& VcamRates() {
  static const std::vector<int> kRates = {15, 24, 25, 30, 60};
  return kRates;
}

const std::vector<Shortcut>& Shortcuts() {
  static const std::vector<Shortcut> kShortcuts = {
      {"e", "effect on/off"},
      {"s", "before/after split view"},
      {"l", "landmarks overlay"},
      {"r", "warp-region overlay"},
      {"p", "save a screenshot (PNG, without the panel)"},
      {"v", "start/stop recording"},
      {"h", "hide/show this panel"},
      {"q, Esc", "quit"},
  };
  return kShortcuts;
}

Panel::Panel() {
  const auto& table = core::ParamTable();
  slider_text_.reserve(table.size());
  for (const core::ParamSpec& spec : table) {
    const bool log_scale = !spec.integer && spec.min > 0.0 && spec.max / spec.min >= 100.0;
    slider_text_.push_back({SliderFormat(spec), "reset:" + std::string(spec.key), log_scale});
    if (std::find(groups_.begin(), groups_.end(), spec.group) == groups_.end()) {
      groups_.emplace_back(spec.group);
    }
  }
  rects_.reserve(2 * table.size() + 8);
}

PanelActions Panel::Draw(core::Params& params, ViewState& view, const PanelStats& stats) {
  PanelActions actions;
  rects_.clear();
  if (stats.new_sample) {
    fps_history_[history_pos_] = static_cast<float>(stats.fps);
    for (size_t i = 0; i < core::kPipelineStages; ++i) {
      p50_history_[i][history_pos_] = static_cast<float>(stats.stage_ms[i]);
      p95_history_[i][history_pos_] = static_cast<float>(stats.stage_p95_ms[i]);
    }
    history_pos_ = (history_pos_ + 1) % kHistory;
    history_count_ = std::min(history_count_ + 1, kHistory);
  }

  HandleShortcuts(view, actions);
  width_ = 0.0f;
  if (!view.show_panel) return actions;

  // Pinned to the left edge at full height; only the width is the user's to change.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float height = std::max(display.y, 1.0f);
  const float max_width = std::max(kMinWidth, display.x * kMaxWidthFraction);
  ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(kDefaultWidth, height), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSizeConstraints(ImVec2(kMinWidth, height), ImVec2(max_width, height));
  const bool open = ImGui::Begin("facewarp", &view.show_panel, ImGuiWindowFlags_NoMove);
  width_ = open ? ImGui::GetWindowWidth() : 0.0f;
  if (open) {
    DrawAlerts(stats);
    DrawActionButtons(view, stats, actions);
    DrawView(view);
    DrawParams(params, view);
    DrawStats(stats);
    const RecordItem record = [this](std::string_view name) { RecordLastItem(name); };
    DrawCameraSection(view, actions, record);
    DrawVirtualCameraSection(view, stats, actions, record);
    DrawPresets(view, actions);
    DrawShortcuts();
  }
  ImGui::End();
  return actions;
}

std::optional<Panel::WidgetRect> Panel::LastRect(std::string_view name) const {
  for (const auto& [rect_name, rect] : rects_) {
    if (rect_name == name) return rect;
  }
  return std::nullopt;
}

void Panel::RecordLastItem(std::string_view name) {
  if (!ImGui::IsItemVisible()) return;
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  rects_.emplace_back(name, WidgetRect{min.x, min.y, max.x, max.y});
}

void Panel::DrawParams(core::Params& params, ViewState& view) {
  const auto& table = core::ParamTable();
  float label_width = 0.0f;
  for (const core::ParamSpec& spec : table) {
    const char* label = spec.label.data();
    label_width = std::max(label_width, ImGui::CalcTextSize(label, label + spec.label.size()).x);
  }
  const float slider_x = ImGui::GetCursorPosX() + label_width + ImGui::GetStyle().ItemSpacing.x;

  ImGui::PushID("params");  // a group named like another section must not share its state
  for (const std::string& group : groups_) {
    if (!ImGui::CollapsingHeader(group.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    for (size_t i = 0; i < table.size(); ++i) {
      if (table[i].group == group) DrawParamRow(params, view, i, slider_x);
    }
  }
  ImGui::PopID();
  if (ImGui::Button("Reset all")) {
    params = core::DefaultParams();
    view.message = "all parameters reset to their defaults";
  }
  RecordLastItem("reset_all");
}

void Panel::DrawParamRow(core::Params& params, ViewState& view, size_t index, float slider_x) {
  const core::ParamSpec& spec = core::ParamTable()[index];
  const SliderText& text = slider_text_[index];
  const ImGuiStyle& style = ImGui::GetStyle();
  const float reset_width = ImGui::CalcTextSize("Reset").x + 2.0f * style.FramePadding.x;
  const float trailing = ImGui::CalcTextSize("(?)").x + reset_width + 2.0f * style.ItemSpacing.x;

  ImGui::PushID(spec.key.data(), spec.key.data() + spec.key.size());
  ImGui::AlignTextToFramePadding();
  TextOf(spec.label);
  ImGui::SameLine(slider_x);
  ImGui::SetNextItemWidth(-trailing);

  // The slider edits a copy; only core::Set writes the parameter, so that it stays in range
  // and whole-numbered whatever ImGui's float rounding or Ctrl+click typing produced.
  const double current = core::Get(params, spec);
  double wanted = current;
  bool changed = false;
  if (spec.integer) {
    int v = static_cast<int>(std::lround(current));
    changed =
        ImGui::SliderInt("##value", &v, static_cast<int>(spec.min), static_cast<int>(spec.max),
                         text.format.c_str(), ImGuiSliderFlags_AlwaysClamp);
    wanted = v;
  } else {
    ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
    if (text.logarithmic) flags |= ImGuiSliderFlags_Logarithmic;
    changed = ImGui::SliderScalar("##value", ImGuiDataType_Double, &wanted, &spec.min, &spec.max,
                                  text.format.c_str(), flags);
  }
  RecordLastItem(spec.key);
  bool reset = false;
  if (ImGui::BeginPopupContextItem()) {
    if (ImGui::MenuItem("Reset to default")) reset = true;
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  HelpTooltip(spec);
  ImGui::SameLine();
  ImGui::BeginDisabled(current == spec.def);
  if (ImGui::SmallButton("Reset")) reset = true;
  ImGui::EndDisabled();
  RecordLastItem(text.reset_name);

  if (reset) {
    wanted = spec.def;
    changed = true;
  }
  if (changed && wanted != current) {
    const core::Status status = core::Set(params, spec, std::clamp(wanted, spec.min, spec.max));
    if (!status.ok()) view.message = status.error().message;
  }
  ImGui::PopID();
}

void Panel::DrawStats(const PanelStats& stats) {
  if (!ImGui::CollapsingHeader("Stats", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::TextWrapped("Source   %s", OrDash(stats.source));
  ImGui::Text("Backend  %s", OrDash(stats.backend));
  ImGui::Text("Faces    %d", stats.faces);
  if (stats.still) {
    ImGui::TextUnformatted("FPS      - (a still photo, tracked once)");
  } else {
    ImGui::Text("FPS      %.1f", stats.fps);
  }
  ImGui::Text("Frames   %lld (dropped %lld)", static_cast<long long>(stats.frames),
              static_cast<long long>(stats.dropped));
  const float plot_height = ImGui::GetTextLineHeight() * 5.0f;
  const ImU32 kP50Color = IM_COL32(110, 190, 255, 255);
  const ImU32 kP95Color = IM_COL32(255, 170, 70, 255);
  if (!stats.still) {
    HistoryPlot("##fps_history", "frames per second", {fps_history_.data(), "", kP50Color}, {},
                history_count_, kHistory, history_pos_, "fps", plot_height);
  }
  // Click a stage's row to plot its history.
  if (ImGui::BeginTable("##stages", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("stage (click to plot)");
    ImGui::TableSetupColumn("p50");
    ImGui::TableSetupColumn("p95");
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < core::kPipelineStages; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (ImGui::Selectable(StageLabel(i), plot_stage_ == static_cast<int>(i),
                            ImGuiSelectableFlags_SpanAllColumns)) {
        plot_stage_ = static_cast<int>(i);
      }
      ImGui::TableNextColumn();
      ImGui::Text("%6.2f ms", stats.stage_ms[i]);
      ImGui::TableNextColumn();
      ImGui::Text("%6.2f ms", stats.stage_p95_ms[i]);
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("capture to display");
    ImGui::TableNextColumn();
    ImGui::Text("%6.2f ms", stats.latency_ms);
    ImGui::EndTable();
  }
  const size_t stage =
      static_cast<size_t>(std::clamp(plot_stage_, 0, static_cast<int>(core::kPipelineStages) - 1));
  HistoryPlot("##stage_history", StageLabel(stage), {p50_history_[stage].data(), "p50", kP50Color},
              {p95_history_[stage].data(), "p95", kP95Color}, history_count_, kHistory,
              history_pos_, "ms", plot_height);
}

void Panel::DrawPresets(ViewState& view, PanelActions& actions) {
  if (!ImGui::CollapsingHeader("Presets", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!view.preset_names.empty()) {
    // Picking a shipped look loads it by name (core::LoadPreset).
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Look");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool chosen =
        view.preset_choice >= 0 && view.preset_choice < static_cast<int>(view.preset_names.size());
    const char* shown = chosen ? view.preset_names[view.preset_choice].c_str() : "choose...";
    if (ImGui::BeginCombo("##preset_look", shown)) {
      for (int i = 0; i < static_cast<int>(view.preset_names.size()); ++i) {
        if (ImGui::Selectable(view.preset_names[i].c_str(), i == view.preset_choice)) {
          view.preset_choice = i;
          view.preset_path = view.preset_names[i];
          actions.load_preset = true;
        }
      }
      ImGui::EndCombo();
    }
    RecordLastItem("preset_look");
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("File");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputText("##preset_path", &view.preset_path);
  RecordLastItem("preset_path");
  if (ImGui::Button("Load")) actions.load_preset = true;
  ImGui::SameLine();
  if (ImGui::Button("Save")) actions.save_preset = true;
}

}  // namespace fw::ui
