#include "ui/devices_section.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <string>

namespace fw::ui {
namespace {

const ImVec4 kGreen(0.45f, 0.85f, 0.45f, 1.0f);
const ImVec4 kRed(1.0f, 0.4f, 0.4f, 1.0f);
const ImVec4 kAmber(1.0f, 0.78f, 0.25f, 1.0f);

int Clamp(int value, size_t size) {
  return std::clamp(value, 0, std::max(static_cast<int>(size) - 1, 0));
}

// A combo over any vector, labelled by `label_of(element)`.
template <class T, class LabelOf>
bool ComboOf(const char* id, int& index, const std::vector<T>& items, LabelOf label_of) {
  if (items.empty()) return false;
  index = Clamp(index, items.size());
  bool changed = false;
  const std::string preview = label_of(items[static_cast<size_t>(index)]);
  if (ImGui::BeginCombo(id, preview.c_str())) {
    for (size_t i = 0; i < items.size(); ++i) {
      const bool selected = static_cast<int>(i) == index;
      if (ImGui::Selectable(label_of(items[i]).c_str(), selected)) {
        index = static_cast<int>(i);
        changed = true;
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace

void DrawCameraSection(ViewState& view, PanelActions& actions, const RecordItem& record) {
  view.camera_mode = Clamp(view.camera_mode, ModesOf(view).size());
  if (!ImGui::CollapsingHeader("Camera", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::PushID("camera");
  const float label_room = ImGui::CalcTextSize("Device").x + ImGui::GetStyle().ItemSpacing.x;
  if (view.cameras.empty()) {
    ImGui::TextWrapped("No camera found.");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    if (ImGui::InputInt("Index", &view.camera_index)) {
      view.camera_index = std::max(view.camera_index, 0);
    }
  } else {
    ImGui::SetNextItemWidth(-label_room);
    if (ComboOf("Device", view.camera_index, view.cameras,
                [](const DeviceEntry& e) { return e.label; })) {
      view.camera_mode = 0;
    }
    const DeviceEntry& camera = view.cameras[static_cast<size_t>(view.camera_index)];
    if (!camera.problem.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
      ImGui::TextWrapped("%s", camera.problem.c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::SetNextItemWidth(-label_room);
  ComboOf("Mode", view.camera_mode, ModesOf(view), [](const CameraMode& m) { return m.label; });
  if (ImGui::Button("Switch camera")) actions.switch_camera = true;
  record("switch_camera");
  ImGui::SameLine();
  if (ImGui::Button("Refresh")) actions.refresh_devices = true;
  ImGui::PopID();
}

void DrawVirtualCameraSection(ViewState& view, const PanelStats& stats, PanelActions& actions,
                              const RecordItem& record) {
  view.vcam_size = Clamp(view.vcam_size, VcamSizes().size());
  view.vcam_format = Clamp(view.vcam_format, VcamFormats().size());
  view.vcam_fps = Clamp(view.vcam_fps, VcamRates().size());
  if (!ImGui::CollapsingHeader("Virtual camera", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::PushID("vcam");
  const float label_room = ImGui::CalcTextSize("Device").x + ImGui::GetStyle().ItemSpacing.x;

  if (stats.vcam_on) {
    ImGui::PushStyleColor(ImGuiCol_Text, kGreen);
    ImGui::TextWrapped("On: %s", stats.vcam_target.c_str());
    ImGui::PopStyleColor();
    ImGui::Text("Frames sent  %lld", static_cast<long long>(stats.vcam_frames));
  } else if (view.vcams.empty()) {
    ImGui::TextWrapped("No virtual camera device (v4l2loopback). Create one with:");
    ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
    ImGui::TextWrapped("%s", view.vcam_hint.c_str());
    ImGui::PopStyleColor();
    if (ImGui::SmallButton("Copy command")) ImGui::SetClipboardText(view.vcam_hint.c_str());
    record("vcam_copy");
    ImGui::TextDisabled("(package v4l2loopback-dkms), then Refresh");
  } else {
    ImGui::TextUnformatted("Off");
  }
  if (!stats.vcam_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("%s", stats.vcam_error.c_str());
    ImGui::PopStyleColor();
  }

  ImGui::BeginDisabled(stats.vcam_on);
  if (!view.vcams.empty()) {
    ImGui::SetNextItemWidth(-label_room);
    ComboOf("Device", view.vcam_index, view.vcams, [](const DeviceEntry& e) {
      return e.problem.empty() ? e.label : e.label + " - " + e.problem;
    });
  }
  const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) /
                      3.0f;
  ImGui::SetNextItemWidth(third);
  ComboOf("##size", view.vcam_size, VcamSizes(), [](const std::pair<int, int>& s) {
    return std::to_string(s.first) + "x" + std::to_string(s.second);
  });
  ImGui::SameLine();
  ImGui::SetNextItemWidth(third);
  ComboOf("##format", view.vcam_format, VcamFormats(), [](const std::string& f) {
    std::string upper = f;
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return upper;
  });
  ImGui::SameLine();
  ImGui::SetNextItemWidth(third);
  ComboOf("##fps", view.vcam_fps, VcamRates(),
          [](int fps) { return std::to_string(fps) + " fps"; });
  ImGui::EndDisabled();

  const bool can_start = stats.vcam_on || !view.vcams.empty();
  ImGui::BeginDisabled(!can_start);
  if (ImGui::Button(stats.vcam_on ? "Stop virtual camera###vcam_toggle"
                                  : "Start virtual camera###vcam_toggle")) {
    actions.toggle_vcam = true;
  }
  record("vcam_toggle");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Refresh")) actions.refresh_devices = true;
  ImGui::PopID();
}

}  // namespace fw::ui
