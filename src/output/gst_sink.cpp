#include "output/gst_sink.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <mutex>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "core/log.h"
#include "core/stop_signal.h"
#include "output/color_convert.h"
#include "output/y4m_writer.h"

namespace fw::output {
namespace {

constexpr char kPrefix[] = "appsrc ! videoconvert ! ";
constexpr GstClockTime kBusSlice = 100 * GST_MSECOND;
constexpr guint64 kMaxQueuedFrames = 4;

void LogGlib(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer) {
  const bool serious = (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0;
  spdlog::debug("{}{}: {}", domain != nullptr ? domain : "glib", serious ? " (critical)" : "",
                message != nullptr ? message : "");
}

GLogWriterOutput WriteGlibLog(GLogLevelFlags level, const GLogField* fields, gsize n, gpointer) {
  const char* domain = nullptr;
  const char* message = nullptr;
  for (gsize i = 0; i < n; ++i) {
    if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
      domain = static_cast<const char*>(fields[i].value);
    if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
      message = static_cast<const char*>(fields[i].value);
  }
  LogGlib(domain, level, message, nullptr);
  return G_LOG_WRITER_HANDLED;
}

bool InitGstreamer() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    // GLib-CRITICAL and GStreamer warnings would otherwise print beside facewarp's one line.
    g_log_set_default_handler(LogGlib, nullptr);
    g_log_set_writer_func(WriteGlibLog, nullptr, nullptr);
    GError* error = nullptr;
    ok = gst_init_check(nullptr, nullptr, &error) != FALSE;
    if (error != nullptr) {
      spdlog::debug("GStreamer: {}", error->message);
      g_error_free(error);
    }
  });
  return ok;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.pop_back();
  return s;
}

// "element: message" from a bus ERROR message.
std::string DescribeError(GstMessage* message) {
  GError* error = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(message, &error, &debug);
  std::string text = GST_OBJECT_NAME(GST_MESSAGE_SRC(message));
  text += ": ";
  text += error != nullptr ? error->message : "unknown error";
  if (error != nullptr) g_error_free(error);
  // "Internal data stream error" says little; the debug text has the reason
  // ("streaming stopped, reason not-negotiated (-4)").
  const std::string details = debug != nullptr ? debug : "";
  const size_t reason = details.find("reason ");
  if (reason != std::string::npos) {
    const size_t start = reason + 7;
    const size_t end = details.find_first_of(" (\n", start);
    text = OneLine(text) + " (" + details.substr(start, end - start) + ")";
  }
  g_free(debug);
  return OneLine(text);
}

GstAppSrc* FindAppsrc(GstBin* bin) {
  GstAppSrc* found = nullptr;
  GstIterator* it = gst_bin_iterate_recurse(bin);
  GValue item = G_VALUE_INIT;
  while (found == nullptr && gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    if (GST_IS_APP_SRC(element)) found = GST_APP_SRC(gst_object_ref(element));
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
  return found;
}

// The elements of `bin` (at any depth) made by the factory of that name, each with a reference.
std::vector<GstElement*> ElementsOf(GstBin* bin, const char* factory_name) {
  std::vector<GstElement*> sinks;
  GstIterator* it = gst_bin_iterate_recurse(bin);
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    GstElementFactory* factory = gst_element_get_factory(element);
    if (factory != nullptr &&
        g_strcmp0(gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(factory)), factory_name) == 0) {
      sinks.push_back(GST_ELEMENT(gst_object_ref(element)));
    }
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
  return sinks;
}

// Points a file-writing element's location at a temporary file (`pattern` false: filesink) or
// into a private directory (a pattern: multifilesink, splitmuxsink); "" or why it cannot.
std::string RedirectOutput(GstElement* sink, bool pattern, std::vector<core::PendingFile>& files,
                           std::vector<core::PendingFileSet>& file_sets) {
  gchar* location = nullptr;
  g_object_get(sink, "location", &location, nullptr);
  const std::string target = location != nullptr ? location : "";
  g_free(location);
  const std::string name = GST_OBJECT_NAME(sink);
  if (target.empty()) return name + " has no location";
  if (pattern) {
    auto set = core::PendingFileSet::Create(target);
    if (!set.ok()) return name + ": " + set.error().message;
    g_object_set(sink, "location", set->temp_pattern().c_str(), nullptr);
    file_sets.push_back(std::move(set).value());
    return "";
  }
  auto file = core::PendingFile::Create(target);
  if (!file.ok()) return name + ": " + file.error().message;
  if (!file->in_place()) g_object_set(sink, "location", file->temp_path().c_str(), nullptr);
  files.push_back(std::move(file).value());
  return "";
}

class GstSink : public Sink {
 public:
  GstSink(std::string name, GstElement* pipeline, GstAppSrc* appsrc, GstVideoInfo video,
          std::vector<core::PendingFile> files, std::vector<core::PendingFileSet> file_sets)
      : name_(std::move(name)),
        pipeline_(pipeline),
        appsrc_(appsrc),
        bus_(gst_element_get_bus(pipeline)),
        video_(video),
        files_(std::move(files)),
        file_sets_(std::move(file_sets)),
        guard_(name_, cv::Size(video_.width, video_.height)) {
    pool_ = gst_buffer_pool_new();
    GstStructure* config = gst_buffer_pool_get_config(pool_);
    GstCaps* caps = gst_video_info_to_caps(&video_);
    gst_buffer_pool_config_set_params(config, caps, static_cast<guint>(video_.size), 2, 0);
    gst_caps_unref(caps);
    gst_buffer_pool_set_config(pool_, config);
    gst_buffer_pool_set_active(pool_, TRUE);
  }

  ~GstSink() override {
    gst_element_set_state(pipeline_, GST_STATE_NULL);
    gst_buffer_pool_set_active(pool_, FALSE);
    gst_object_unref(pool_);
    gst_object_unref(bus_);
    gst_object_unref(appsrc_);
    gst_object_unref(pipeline_);
    // files_ and file_sets_ discard their temporaries (the pipeline has closed them).
  }

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(bgr));
    // A bounded queue: wait (in slices, so errors and stop signals are seen) while the
    // pipeline is kMaxQueuedFrames behind.
    FW_RETURN_IF_ERROR(CheckBus(0));
    while (gst_app_src_get_current_level_bytes(appsrc_) >= kMaxQueuedFrames * video_.size) {
      FW_RETURN_IF_ERROR(CheckBus(kBusSlice));
    }
    GstBuffer* buffer = nullptr;
    if (gst_buffer_pool_acquire_buffer(pool_, &buffer, nullptr) != GST_FLOW_OK) {
      return core::Error::Runtime("cannot write to " + name_ + ": no buffer");
    }
    GstVideoFrame frame;
    if (!gst_video_frame_map(&frame, &video_, buffer, GST_MAP_WRITE)) {
      gst_buffer_unref(buffer);
      return core::Error::Runtime("cannot write to " + name_ + ": cannot map a buffer");
    }
    core::Status converted =
        BgrToI420(bgr, static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                  GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                  static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1)),
                  GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                  static_cast<uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2)),
                  GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2));
    gst_video_frame_unmap(&frame);
    if (!converted.ok()) {
      gst_buffer_unref(buffer);
      return converted;
    }
    const auto frames = static_cast<uint64_t>(guard_.frames());
    GST_BUFFER_PTS(buffer) = gst_util_uint64_scale(frames * GST_SECOND, video_.fps_d, video_.fps_n);
    GST_BUFFER_DURATION(buffer) = gst_util_uint64_scale(GST_SECOND, video_.fps_d, video_.fps_n);
    if (gst_app_src_push_buffer(appsrc_, buffer) != GST_FLOW_OK) {  // takes the buffer
      FW_RETURN_IF_ERROR(CheckBus(kBusSlice));
      return core::Error::Runtime("cannot write to " + name_ + ": the pipeline stopped");
    }
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status Complete() override {
    FW_RETURN_IF_ERROR(guard_.CheckComplete());
    // End-of-stream reaches the sinks once every frame is through: muxers write their index.
    gst_app_src_end_of_stream(appsrc_);
    while (true) {
      GstMessage* message = gst_bus_timed_pop_filtered(
          bus_, kBusSlice, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS));
      if (message != nullptr) {
        const bool eos = GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS;
        const std::string error = eos ? "" : DescribeError(message);
        gst_message_unref(message);
        if (!eos) return core::Error::Runtime("GStreamer pipeline failed: " + error);
        break;
      }
      if (core::StopRequested()) {
        return core::Error::Runtime(std::string("interrupted by ") + core::StopSignalName() +
                                    " while " + name_ + " was finishing");
      }
    }
    if (gst_element_set_state(pipeline_, GST_STATE_NULL) == GST_STATE_CHANGE_FAILURE) {
      return core::Error::Runtime("cannot stop " + name_);
    }
    return core::Status::Ok();
  }

  core::Status Commit() override {
    for (core::PendingFile& file : files_) FW_RETURN_IF_ERROR(file.Commit());
    for (core::PendingFileSet& set : file_sets_) FW_RETURN_IF_ERROR(set.Commit());
    return core::Status::Ok();
  }

 private:
  // A bus ERROR (or an end-of-stream before the end) is this sink's failure.
  core::Status CheckBus(GstClockTime wait) {
    GstMessage* message = gst_bus_timed_pop_filtered(
        bus_, wait, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS));
    if (message == nullptr) {
      if (core::StopRequested() && wait > 0) {
        return core::Error::Runtime(std::string("interrupted by ") + core::StopSignalName() +
                                    " while writing to " + name_);
      }
      return core::Status::Ok();
    }
    const bool eos = GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS;
    const std::string error = eos ? "" : DescribeError(message);
    gst_message_unref(message);
    if (eos) return core::Error::Runtime("GStreamer pipeline " + name_ + " ended early");
    return core::Error::Runtime("GStreamer pipeline failed: " + error);
  }

  std::string name_;
  GstElement* pipeline_;
  GstAppSrc* appsrc_;
  GstBus* bus_;
  GstBufferPool* pool_ = nullptr;
  GstVideoInfo video_;
  std::vector<core::PendingFile> files_;
  std::vector<core::PendingFileSet> file_sets_;
  SinkGuard guard_;
};

}  // namespace

std::string CompleteGstPipeline(const std::string& pipeline) {
  const size_t first = pipeline.find_first_not_of(" \t");
  if (first == std::string::npos) return pipeline;
  const std::string element = pipeline.substr(first, pipeline.find_first_of(" \t!", first) - first);
  if (element == "appsrc") return pipeline.substr(first);
  return kPrefix + pipeline.substr(first);
}

bool HaveGstreamer() { return InitGstreamer(); }

bool HaveGstElement(const std::string& factory) {
  if (!InitGstreamer()) return false;
  GstElementFactory* found = gst_element_factory_find(factory.c_str());
  if (found == nullptr) return false;
  gst_object_unref(found);
  return true;
}

core::Result<std::unique_ptr<Sink>> OpenGstSink(const std::string& pipeline,
                                                const StreamInfo& info) {
  const std::string name = "gst:" + pipeline;
  if (!InitGstreamer()) {
    return core::Error::Runtime("cannot open " + name + ": GStreamer does not initialise here");
  }
  if (info.width <= 0 || info.height <= 0) {
    return core::Error::Runtime("cannot open " + name + ": invalid frame size " +
                                std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  const std::string full = CompleteGstPipeline(pipeline);
  const std::string cannot = "cannot start GStreamer pipeline '" + full + "': ";
  GError* error = nullptr;
  GstElement* element =
      gst_parse_launch_full(full.c_str(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (element == nullptr || error != nullptr) {
    std::string why = error != nullptr ? error->message : "it does not parse";
    if (error != nullptr) g_error_free(error);
    if (element != nullptr) gst_object_unref(element);
    return core::Error::Runtime(
        cannot + OneLine(why) +
        " (gst-inspect-1.0 ELEMENT lists an element's properties and tells whether it is "
        "installed; most are in Debian's gstreamer1.0-plugins-base, -good, -bad or -ugly)");
  }
  if (!GST_IS_BIN(element)) {  // a single element: no appsrc to feed
    gst_object_unref(element);
    return core::Error::Runtime(cannot + "the pipeline has no appsrc to feed");
  }
  GstAppSrc* appsrc = FindAppsrc(GST_BIN(element));
  if (appsrc == nullptr) {
    gst_object_unref(element);
    return core::Error::Runtime(cannot + "the pipeline has no appsrc to feed");
  }
  auto fail = [&](const std::string& why) {
    gst_element_set_state(element, GST_STATE_NULL);
    gst_object_unref(appsrc);
    gst_object_unref(element);
    return core::Error::Runtime(cannot + why);
  };

  // Each filesink writes to a temporary that Commit() renames; multifilesink and splitmuxsink,
  // which name their files from a pattern, into a private directory whose files Commit()
  // moves beside the pattern.
  std::vector<core::PendingFile> files;
  std::vector<core::PendingFileSet> file_sets;
  std::string failure;
  for (const char* factory : {"filesink", "multifilesink", "splitmuxsink"}) {
    for (GstElement* sink : ElementsOf(GST_BIN(element), factory)) {
      if (failure.empty()) {
        failure = RedirectOutput(sink, g_strcmp0(factory, "filesink") != 0, files, file_sets);
      }
      gst_object_unref(sink);
    }
  }
  if (!failure.empty()) return fail(failure);

  GstVideoInfo video;
  gst_video_info_init(&video);
  const Rational rate = FpsToRational(info.fps);
  gst_video_info_set_format(&video, GST_VIDEO_FORMAT_I420, static_cast<guint>(info.width),
                            static_cast<guint>(info.height));
  video.fps_n = rate.num;
  video.fps_d = rate.den;
  video.colorimetry.range = GST_VIDEO_COLOR_RANGE_16_235;
  video.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
  GstCaps* caps = gst_video_info_to_caps(&video);
  gst_app_src_set_caps(appsrc, caps);
  gst_caps_unref(caps);
  g_object_set(appsrc, "format", GST_FORMAT_TIME, nullptr);

  if (gst_element_set_state(element, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    GstBus* bus = gst_element_get_bus(element);
    GstMessage* message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    std::string why = message != nullptr ? DescribeError(message) : "a sink cannot start";
    if (message != nullptr) gst_message_unref(message);
    gst_object_unref(bus);
    return fail(why);
  }
  return std::unique_ptr<Sink>(std::make_unique<GstSink>(name, element, appsrc, video,
                                                         std::move(files), std::move(file_sets)));
}

}  // namespace fw::output
