// Headless runs: the pipeline's frames warped by the chosen backend and written to every
// output, with no window. Main thread only (the GL backend's context lives on it).
#pragma once

#include <memory>

#include "app/cli.h"
#include "capture/source.h"
#include "core/result.h"
#include "tracking/face_analyzer.h"

namespace fw::app {

core::Status RunHeadless(const Options& options, const std::string& input,
                         std::unique_ptr<capture::Source> source,
                         const capture::SourceOptions& source_options,
                         tracking::FaceAnalyzer& analyzer);

// Set by SIGINT/SIGTERM/SIGHUP (core/stop_signal.h): live runs (a camera, a virtual camera,
// --realtime) finish their outputs properly and stop with success; a file run is abandoned
// (exit 1, nothing written), as is a write that the signal interrupted.
bool StopRequested();

}  // namespace fw::app
