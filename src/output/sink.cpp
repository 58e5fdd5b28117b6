#include "output/sink.h"

#include "output/gst_sink.h"
#include "output/image_file_sink.h"
#include "output/sink_spec.h"
#include "output/v4l2_sink.h"
#include "output/video_file_sink.h"
#include "output/y4m_sink.h"

namespace fw::output {

core::Status Sink::Finish() {
  FW_RETURN_IF_ERROR(Complete());
  return Commit();
}

core::Result<std::unique_ptr<Sink>> OpenSink(const std::string& spec, const StreamInfo& info) {
  auto parsed = ParseSinkSpec(spec);
  if (!parsed.ok()) return parsed.error();
  switch (parsed->kind) {
    case SinkKind::kStdoutY4m:
      return OpenY4mStdoutSink(info);
    case SinkKind::kY4mFile:
      return OpenY4mFileSink(parsed->path, info);
    case SinkKind::kVideoFile:
      return OpenVideoFileSink(parsed->path, parsed->extension, info);
    case SinkKind::kImageFile:
      return OpenImageFileSink(parsed->path, info);
    case SinkKind::kVirtualCamera:
      return OpenV4l2Sink(parsed->path, parsed->camera);
    case SinkKind::kGstPipeline:
      return OpenGstSink(parsed->pipeline, info);
  }
  return core::Error::Runtime("internal: unhandled output kind for " + spec);
}

}  // namespace fw::output
