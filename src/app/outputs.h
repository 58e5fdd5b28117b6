// Opening every --output for a source: one place that turns the source's size and rate into
// the sinks' stream description. Main thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/result.h"
#include "output/sink.h"

namespace fw::app {

using Sinks = std::vector<std::unique_ptr<output::Sink>>;

// The stream that `info` delivers, as sinks see it (30 fps where the source has no rate; a
// video file's own audio for video outputs to carry).
output::StreamInfo StreamFor(const capture::SourceInfo& info, int crf = 23);

// Opens every spec; the first failure is returned (sinks already opened leave no file).
core::Result<Sinks> OpenOutputs(const std::vector<std::string>& specs,
                                const capture::SourceInfo& info, int crf = 23);

}  // namespace fw::app
