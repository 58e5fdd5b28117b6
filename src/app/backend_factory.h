// Chooses and creates the warp backend (--backend gl|cpu|auto). Main thread only: the GL
// backend owns a GL context on the calling thread.
#pragma once

#include <memory>

#include "app/cli.h"
#include "core/result.h"
#include "warp/warp_backend.h"

namespace fw::app {

// kAuto takes GL where a 3.3 context can be made and otherwise falls back to the CPU backend,
// announcing the fallback in one log line; kGl fails if no context can be made.
core::Result<std::unique_ptr<warp::WarpBackend>> CreateWarpBackend(Backend backend);

}  // namespace fw::app
