// YUV4MPEG2 sinks: a .y4m file (written under a temporary name, renamed by Finish) or standard
// output ("-", for piping into ffplay/ffmpeg). An instance is used from one thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

core::Result<std::unique_ptr<Sink>> OpenY4mFileSink(const std::string& path,
                                                    const StreamInfo& info);

// Refuses a terminal as standard output (usage error). Writing to a pipe whose reader has gone
// fails with a clear error only if the process ignores SIGPIPE, as main() must; otherwise the
// kernel ends the process.
core::Result<std::unique_ptr<Sink>> OpenY4mStdoutSink(const StreamInfo& info);

}  // namespace fw::output
