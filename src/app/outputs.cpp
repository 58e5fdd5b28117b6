#include "app/outputs.h"

namespace fw::app {

output::StreamInfo StreamFor(const capture::SourceInfo& info) {
  output::StreamInfo stream;
  stream.width = info.width;
  stream.height = info.height;
  stream.fps = info.fps > 0.0 ? info.fps : 30.0;
  stream.still_image = info.kind == capture::SourceKind::kImage;
  return stream;
}

core::Result<Sinks> OpenOutputs(const std::vector<std::string>& specs,
                                const capture::SourceInfo& info) {
  const output::StreamInfo stream = StreamFor(info);
  Sinks sinks;
  for (const std::string& spec : specs) {
    auto sink = output::OpenSink(spec, stream);
    if (!sink.ok()) return sink.error();
    sinks.push_back(std::move(sink).value());
  }
  return sinks;
}

}  // namespace fw::app
