// The panel's "Camera" and "Virtual camera" sections: the cameras by name with their real
// modes, and the v4l2loopback output with its device, size, format and rate, start/stop,
// state and frame counter, or the command that creates a device when none exists. ImGui
// calls only; main thread only.
#pragma once

#include "ui/panel.h"

namespace fw::ui {

void DrawCameraSection(ViewState& view, PanelActions& actions);
void DrawVirtualCameraSection(ViewState& view, const PanelStats& stats, PanelActions& actions);

}  // namespace fw::ui
