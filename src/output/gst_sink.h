// GStreamer pipelines as outputs ("gst:PIPELINE") through GStreamer's own API: frames enter
// the pipeline's appsrc as I420 (BT.601, limited range) at the input's size and rate, errors
// come from GStreamer's parser and bus and name the element. A filesink's location gets an
// exclusive temporary file (core/atomic_file.h) that Commit() renames; multifilesink and
// splitmuxsink, which name their files from a pattern, write into a private directory whose
// files Commit() moves beside the pattern. A failed run leaves no file. GLib's and GStreamer's own
// log lines go to facewarp's logger (debug level). An instance is used from one thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

// The pipeline as GStreamer gets it. One that starts with an appsrc element is kept as given
// (its appsrc is fed); any other text is a tail that gets "appsrc ! videoconvert ! " in front,
// so "video/x-raw,format=YUY2 ! v4l2sink device=/dev/video10" and "x264enc ! mp4mux !
// filesink location=a.mp4" both work.
std::string CompleteGstPipeline(const std::string& pipeline);

// Whether GStreamer initialises here.
bool HaveGstreamer();

// Whether GStreamer has an element factory of that name ("x264enc") installed.
bool HaveGstElement(const std::string& factory);

// Parses and starts the pipeline (to PLAYING) before any frame: a missing element, a bad
// property or a sink that cannot start (a missing device) is a runtime error naming the element
// in GStreamer's words. Frames must have the StreamInfo size. A bus error while running fails
// the next Write() or Complete(); Complete() sends end-of-stream and waits for it to reach the
// sinks (a stop signal ends the wait).
core::Result<std::unique_ptr<Sink>> OpenGstSink(const std::string& pipeline,
                                                const StreamInfo& info);

}  // namespace fw::output
