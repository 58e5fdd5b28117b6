// The live preview: a window showing the filtered video with the ImGui panel, fed by the
// capture and tracking threads. Runs the frame loop on the calling (main) thread, which owns
// GLFW, GL and ImGui.
#pragma once

#include <memory>
#include <string>

#include "app/cli.h"
#include "app/settings.h"
#include "capture/source.h"
#include "core/result.h"
#include "tracking/face_analyzer.h"

namespace fw::app {

// Opens the window and runs until it is closed (or q/Esc). Where no window can be opened and
// outputs were given, it announces that and runs headless instead. `remembered` seeds the
// view, the virtual camera choice and the panel layout; at the end the settings are written
// back to `settings_path` unless it is "" (--no-config, or a file not ours to replace).
core::Status RunPreview(const Options& options, const std::string& input,
                        std::unique_ptr<capture::Source> source,
                        const capture::SourceOptions& source_options,
                        tracking::FaceAnalyzer& analyzer, const Settings& remembered = {},
                        const std::string& settings_path = "");

}  // namespace fw::app
