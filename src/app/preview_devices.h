// The live preview's device lists and remembered choices: fills the panel's camera and
// virtual camera lists from the V4L2 enumeration, turns the panel's virtual camera choice
// into a `v4l2:` output spec, and moves the remembered settings into and out of the panel's
// view state. Main thread only.
#pragma once

#include <string>

#include "app/settings.h"
#include "ui/panel.h"

namespace fw::app {

// Enumerates the cameras and V4L2 outputs again into view.cameras / view.vcams, keeping the
// chosen entries where they still exist; `current_input` (the camera's path or index) selects
// the camera shown.
void RefreshDevices(ui::ViewState& view, const std::string& current_input);

// "v4l2:/dev/video10?size=1280x720&format=yuyv&fps=30" for the chosen virtual camera; "" when
// none is listed.
std::string VcamSpec(const ui::ViewState& view);

// "/dev/video10 1280x720 YUYV 30 fps", what the panel shows for a running `v4l2:` spec.
std::string VcamTarget(const std::string& spec);

// Selects the size, format and rate of a `v4l2:` spec (a command-line one) in the view, and
// its device when listed.
void SelectVcamSpec(const std::string& spec, ui::ViewState& view);

void ApplySettings(const Settings& settings, ui::ViewState& view);
// The view's toggles and choices into `settings`; the camera is `camera_path` (with its
// listed name) at the size and rate given.
void StoreSettings(const ui::ViewState& view, const std::string& camera_path, int camera_width,
                   int camera_height, double camera_fps, Settings& settings);

// The remembered camera, when it is present: found by name first, else by path; "" otherwise.
std::string RememberedCamera(const Settings& settings);

}  // namespace fw::app
