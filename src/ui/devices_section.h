// The panel's "Camera" and "Virtual camera" sections: the cameras by name with their real
// modes, and the v4l2loopback output with its device, size, format and rate, start/stop,
// state and frame counter, or the command that creates a device when none exists. ImGui
// calls only; main thread only.
#pragma once

#include <functional>
#include <string_view>

#include "ui/panel.h"

namespace fw::ui {

// `record(name)` is called right after each named widget ("switch_camera", "vcam_toggle",
// "vcam_copy"), for Panel::LastRect().
using RecordItem = std::function<void(std::string_view)>;

void DrawCameraSection(ViewState& view, PanelActions& actions, const RecordItem& record);
void DrawVirtualCameraSection(ViewState& view, const PanelStats& stats, PanelActions& actions,
                              const RecordItem& record);

}  // namespace fw::ui
