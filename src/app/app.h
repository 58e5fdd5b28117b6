// The facewarp application: opens the input, the tracker, the warp backend and the outputs,
// runs the pipeline, and closes everything in order. Call from the main thread only.
#pragma once

#include "app/cli.h"
#include "core/result.h"

namespace fw::app {

// Runs facewarp as the options say. A failed run leaves no output file behind.
core::Status Run(const Options& options);

}  // namespace fw::app
