#include "app/outputs.h"

#include <filesystem>
#include <system_error>

namespace fw::app {

output::StreamInfo StreamFor(const capture::SourceInfo& info, int crf) {
  output::StreamInfo stream;
  stream.width = info.width;
  stream.height = info.height;
  stream.fps = info.fps > 0.0 ? info.fps : 30.0;
  stream.still_image = info.kind == capture::SourceKind::kImage;
  std::error_code ec;
  if (info.kind == capture::SourceKind::kVideoFile &&
      std::filesystem::is_regular_file(info.name, ec)) {
    stream.audio_from = info.name;
  }
  stream.crf = crf;
  return stream;
}

core::Result<Sinks> OpenOutputs(const std::vector<std::string>& specs,
                                const capture::SourceInfo& info, int crf) {
  const output::StreamInfo stream = StreamFor(info, crf);
  Sinks sinks;
  for (const std::string& spec : specs) {
    FW_ASSIGN_OR_RETURN(auto sink, output::OpenSink(spec, stream));
    sinks.push_back(std::move(sink));
  }
  return sinks;
}

}  // namespace fw::app
