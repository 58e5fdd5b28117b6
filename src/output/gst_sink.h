// GStreamer pipelines as outputs ("gst:PIPELINE") through OpenCV's GStreamer writer: frames
// enter the pipeline's appsrc as BGR at the input's size and rate. An instance is used from one
// thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

// The pipeline as OpenCV gets it. One that starts with an appsrc element is kept as given
// (OpenCV feeds the source whose name contains "appsrc" or "opencvsrc", so keep the default
// name); any other text is a tail that gets "appsrc ! videoconvert ! " in front, so
// "video/x-raw,format=YUY2 ! v4l2sink device=/dev/video10" and "x264enc ! mp4mux ! filesink
// location=a.mp4" both work.
std::string CompleteGstPipeline(const std::string& pipeline);

// Whether this OpenCV was built with its GStreamer backend.
bool HaveGstreamer();

// Starts the pipeline (to PLAYING) before any frame: a missing element, a bad property or a
// sink that cannot start (an unwritable file) is a runtime error. Frames must have the
// StreamInfo size. Finish() sends end-of-stream and waits for the pipeline to drain.
core::Result<std::unique_ptr<Sink>> OpenGstSink(const std::string& pipeline,
                                                const StreamInfo& info);

}  // namespace fw::output
