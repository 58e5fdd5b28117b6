#include "app/preview.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "app/control.h"
#include "app/headless.h"
#include "app/outputs.h"
#include "app/pipeline.h"
#include "app/preview_devices.h"
#include "app/virtual_camera.h"
#include "core/atomic_file.h"
#include "core/log.h"
#include "core/preset.h"
#include "core/stats.h"
#include "looks/look_plan.h"
#include "output/recorder.h"
#include "output/sink.h"
#include "output/sink_spec.h"
#include "render/gl_context.h"
#include "render/present_pass.h"
#include "render/warp_renderer.h"
#include "ui/overlay.h"
#include "ui/panel.h"
#include "ui/split_divider.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::app {

namespace {

constexpr int kPanelRoom = 400;        // window width set aside for the panel at start
constexpr int kMinWindowHeight = 600;  // room for the panel's sections

// ImGui with the GLFW and OpenGL 3 backends, torn down in reverse order.
class ImGuiSession {
 public:
  explicit ImGuiSession(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; nothing to remember
    ImGui::StyleColorsDark();
    float scale_x = 1.0f, scale_y = 1.0f;
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    if (scale_x > 1.0f) {  // HiDPI: larger widgets and text
      ImGui::GetStyle().ScaleAllSizes(scale_x);
      ImGui::GetIO().FontGlobalScale = scale_x;
    }
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
  }
  ~ImGuiSession() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  ImGuiSession(const ImGuiSession&) = delete;
  ImGuiSession& operator=(const ImGuiSession&) = delete;
};

// Sizes the window so that the picture, beside the panel, fills it at its own size where the
// screen allows, or as large as 90% of the screen allows, keeping its shape. Needs GLFW
// initialised (a window exists).
void FitWindowToPicture(GLFWwindow* window, const capture::SourceInfo& info) {
  if (info.width <= 0 || info.height <= 0) return;
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
  const int screen_w = mode != nullptr ? mode->width : 1600;
  const int screen_h = mode != nullptr ? mode->height : 900;
  const double max_w = screen_w * 0.9 - kPanelRoom;
  const double max_h = screen_h * 0.85;
  const double aspect = static_cast<double>(info.width) / info.height;
  double video_h = std::min<double>(info.height, max_h);
  double video_w = video_h * aspect;
  if (video_w > max_w) {
    video_w = max_w;
    video_h = video_w / aspect;
  }
  glfwSetWindowSize(window, static_cast<int>(std::lround(video_w)) + kPanelRoom,
                    std::max(static_cast<int>(std::lround(video_h)), kMinWindowHeight));
}

std::string ShotPath() {
  return output::RecordingPath(".", std::chrono::system_clock::now(), ".png");
}

std::string Describe(const capture::SourceInfo& info) {
  const char* kind = info.kind == capture::SourceKind::kCamera ? "camera " : "";
  return std::string(kind) + info.name + " (" + std::to_string(info.width) + "x" +
         std::to_string(info.height) + " @ " + std::to_string(std::lround(info.fps)) + " fps)";
}

class Preview : public net::ControlTarget {
 public:
  Preview(const Options& options, std::unique_ptr<render::GlContext> context,
          render::WarpRenderer renderer, Sinks sinks, core::RunStats& stats, std::string input,
          const Settings& remembered, std::string settings_path, ControlSession* control)
      : params_(options.params),
        max_frames_(options.frames),
        context_(std::move(context)),
        renderer_(std::move(renderer)),
        sinks_(std::move(sinks)),
        imgui_(context_->window()),
        stats_(stats),
        camera_input_(std::move(input)),
        remembered_(remembered),
        settings_path_(std::move(settings_path)),
        control_(control) {
    if (!remembered_.panel_layout.empty()) {
      ImGui::LoadIniSettingsFromMemory(remembered_.panel_layout.c_str(),
                                       remembered_.panel_layout.size());
    }
    ApplySettings(remembered_, view_);
  }

  // A v4l2: output of the command line, shown and controlled in the panel.
  void AdoptVirtualCamera(std::unique_ptr<output::Sink> sink, const std::string& spec, int width,
                          int height) {
    vcam_.Adopt(std::move(sink), spec, width, height);
  }

  core::Status Run(Pipeline& pipeline, const std::string& stats_path);

  // The control API's requests, answered at the frame boundary (main thread).
  core::Result<cv::Mat> Snapshot() override;
  core::Result<std::string> StartRecording() override;
  core::Result<std::string> StopRecording() override;
  bool recording() const override { return recorder_.recording(); }

 private:
  void ShowFrame(bool new_frame);
  void DrawOverlays(int fb_width, int fb_height, int margin);
  void HandleActions(const ui::PanelActions& actions, Pipeline& pipeline);
  ui::PanelStats CollectStats(const Pipeline& pipeline);
  ui::ImageToScreen ScreenMap(int fb_width, int fb_height, int margin) const;
  void DrawSplit(const ui::ImageToScreen& map);
  void ToggleVirtualCamera(const Pipeline& pipeline);
  void SaveSettings(const Pipeline& pipeline);
  void Refresh(const capture::SourceInfo& info);

  core::Params params_;
  int64_t max_frames_;  // -1: until closed
  std::unique_ptr<render::GlContext> context_;
  render::WarpRenderer renderer_;
  Sinks sinks_;
  ImGuiSession imgui_;
  ui::Panel panel_;
  ui::ViewState view_;
  output::Recorder recorder_;
  core::RunStats& stats_;  // shared with the pipeline's threads
  TrackedFrame current_;
  bool have_frame_ = false;
  warp::WarpPlan plan_;
  looks::LookPlan looks_;
  cv::Mat readback_;
  double fps_ = 0.0;
  ui::PanelStats panel_stats_;
  int64_t panel_stats_ns_ = 0;
  int64_t fps_window_start_ = 0;
  int64_t fps_window_frames_ = 0;
  std::string error_;
  VirtualCamera vcam_;
  ui::SplitDivider split_divider_;
  // What the last warp was made with; ShowFrame skips a warp that would be the same.
  core::Params warped_params_;
  bool warped_effect_ = true;
  bool rewarp_ = true;
  std::string camera_input_;  // the camera shown (path or index), for the remembered settings
  Settings remembered_;
  std::string settings_path_;
  ControlSession* control_;       // nullptr without --control
  Pipeline* pipeline_ = nullptr;  // while Run runs
};

core::Result<cv::Mat> Preview::Snapshot() {
  if (!have_frame_) return core::Error::Runtime("no frame yet");
  FW_RETURN_IF_ERROR(renderer_.Read(readback_));
  return readback_.clone();
}

core::Result<std::string> Preview::StartRecording() {
  if (recorder_.recording()) return core::Error::Usage("already recording to " + recorder_.path());
  if (!have_frame_) return core::Error::Runtime("no frame yet");
  output::StreamInfo info;
  info.width = current_.frame.image.cols;
  info.height = current_.frame.image.rows;
  const double source_fps = pipeline_ != nullptr ? pipeline_->info().fps : 0.0;
  info.fps = fps_ > 1.0 ? fps_ : (source_fps > 0.0 ? source_fps : 30.0);
  const std::string path =
      output::RecordingPath(output::DefaultRecordingDirectory(), std::chrono::system_clock::now());
  FW_RETURN_IF_ERROR(recorder_.Start(path, info));
  return path;
}

core::Result<std::string> Preview::StopRecording() {
  if (!recorder_.recording()) return core::Error::Usage("not recording");
  return recorder_.Stop();
}

void Preview::ShowFrame(bool new_frame) {
  // The same picture with the same settings is already warped (a still, or between frames).
  if (!new_frame && !rewarp_ && view_.effect_on == warped_effect_ &&
      core::SameValues(params_, warped_params_)) {
    return;
  }
  rewarp_ = false;
  warped_effect_ = view_.effect_on;
  warped_params_ = params_;
  plan_.clear();
  looks_.num_faces = 0;
  if (view_.effect_on) {
    const int left_out = warp::PlanFrameInto(current_.faces, params_, plan_);
    if (left_out > 0 && new_frame) stats_.AddCount("faces_not_warped", left_out);
    looks::PlanLooks(current_.faces, params_, current_.frame.image, looks_);
    warp::MoveLooksThroughWarp(plan_, looks_);
  }
  {
    core::ScopedStageTimer timer(stats_, core::Stage::kWarp);
    core::Status s = new_frame ? renderer_.Upload(current_.frame.image) : core::Status::Ok();
    if (s.ok()) s = renderer_.Warp(plan_);
    if (s.ok()) s = renderer_.DrawLooks(looks_);
    if (!s.ok()) error_ = s.error().message;
  }
  if (!new_frame || (sinks_.empty() && !recorder_.recording() && !vcam_.on())) return;
  {
    core::ScopedStageTimer timer(stats_, core::Stage::kReadback);
    const core::Status s = renderer_.Read(readback_);
    if (!s.ok()) {
      error_ = s.error().message;
      return;
    }
  }
  core::ScopedStageTimer timer(stats_, core::Stage::kOutput);
  for (auto& sink : sinks_) {
    const core::Status s = sink->Write(readback_);
    if (!s.ok()) error_ = s.error().message;
  }
  const core::Status s = recorder_.Write(readback_);
  if (!s.ok()) view_.message = "recording stopped: " + s.error().message;
}

void Preview::ToggleVirtualCamera(const Pipeline& pipeline) {
  if (vcam_.on()) {
    const core::Status s = vcam_.Stop();
    view_.message = s.ok() ? "virtual camera stopped" : s.error().message;
    return;
  }
  const std::string spec = VcamSpec(view_);
  if (spec.empty() || !have_frame_) return;
  capture::SourceInfo info = pipeline.info();
  info.width = current_.frame.image.cols;
  info.height = current_.frame.image.rows;
  if (vcam_.Start(spec, info).ok()) view_.message = "virtual camera on " + VcamTarget(spec);
}

void Preview::Refresh(const capture::SourceInfo& info) {
  DevicesInUse in_use;
  if (info.kind == capture::SourceKind::kCamera) {
    in_use.camera = camera_input_;
    in_use.camera_width = info.width;
    in_use.camera_height = info.height;
    in_use.camera_fps = info.fps;
  }
  in_use.vcam_path = vcam_.device_path();
  RefreshDevices(view_, in_use);
}

ui::ImageToScreen Preview::ScreenMap(int fb_width, int fb_height, int margin) const {
  int win_w = 0, win_h = 0;
  glfwGetWindowSize(context_->window(), &win_w, &win_h);
  ui::ImageToScreen map;
  if (win_w <= 0 || fb_width <= 0 || renderer_.width() <= 0) return map;
  const float to_screen = static_cast<float>(win_w) / static_cast<float>(fb_width);
  const render::ViewportRect rect =
      render::FitViewportBeside(renderer_.width(), renderer_.height(), fb_width, fb_height, margin);
  map.scale = to_screen * static_cast<float>(rect.width) / static_cast<float>(renderer_.width());
  map.left = to_screen * static_cast<float>(rect.x);
  map.top = to_screen * static_cast<float>(fb_height - rect.y - rect.height);
  return map;
}

// The before/after divider: drawn over the picture, dragged with the mouse.
void Preview::DrawSplit(const ui::ImageToScreen& map) {
  if (!view_.split_view || !have_frame_) return;
  split_divider_.Update(map.left, map.top, map.scale * static_cast<float>(renderer_.width()),
                        map.scale * static_cast<float>(renderer_.height()), view_.split);
}

void Preview::DrawOverlays(int fb_width, int fb_height, int margin) {
  if (!have_frame_) return;
  const ui::ImageToScreen map = ScreenMap(fb_width, fb_height, margin);
  if (view_.show_landmarks) ui::DrawLandmarks(current_.faces, map);
  if (view_.show_warp_regions) ui::DrawWarpRegions(plan_, map);
  DrawSplit(map);
}

void Preview::HandleActions(const ui::PanelActions& actions, Pipeline& pipeline) {
  if (actions.save_screenshot && have_frame_) {
    const std::string path = ShotPath();
    const core::Status s = renderer_.Read(readback_);
    view_.message =
        s.ok() && cv::imwrite(path, readback_) ? "saved " + path : "could not save " + path;
  }
  if (actions.save_preset) {
    const core::Status s = core::SavePreset(view_.preset_path, params_);
    view_.message = s.ok() ? "saved " + view_.preset_path : s.error().message;
  }
  if (actions.load_preset) {
    const core::Status s = core::LoadPreset(view_.preset_path, params_);
    view_.message = s.ok() ? "loaded " + view_.preset_path : s.error().message;
  }
  if (actions.toggle_recording) {
    if (recorder_.recording()) {
      auto done = StopRecording();
      view_.message = done.ok() ? "recorded " + *done : done.error().message;
    } else if (have_frame_) {
      auto started = StartRecording();
      view_.message = started.ok() ? "recording to " + *started : started.error().message;
    }
  }
  if (actions.refresh_devices) Refresh(pipeline.info());
  if (actions.toggle_vcam) ToggleVirtualCamera(pipeline);
  if (actions.switch_camera) {
    const auto& modes = ui::ModesOf(view_);
    const ui::CameraMode& mode = modes[static_cast<size_t>(
        std::clamp(view_.camera_mode, 0, static_cast<int>(modes.size()) - 1))];
    capture::SourceOptions source_options;
    source_options.camera_width = mode.width;
    source_options.camera_height = mode.height;
    source_options.camera_fps = mode.fps;
    source_options.image_frames = -1;
    const std::string spec =
        view_.cameras.empty()
            ? std::to_string(view_.camera_index)
            : view_
                  .cameras[static_cast<size_t>(std::clamp(
                      view_.camera_index, 0, static_cast<int>(view_.cameras.size()) - 1))]
                  .path;
    const core::Status s = pipeline.SwitchSource(spec, source_options);
    if (s.ok()) camera_input_ = spec;
    view_.message = s.ok() ? "switched to " + Describe(pipeline.info()) : s.error().message;
  }
}

ui::PanelStats Preview::CollectStats(const Pipeline& pipeline) {
  ui::PanelStats s;
  s.fps = fps_;
  s.faces = static_cast<int>(current_.faces.size());
  s.frames = stats_.frames();
  s.dropped = pipeline.dropped();
  for (size_t i = 0; i < core::kPipelineStages; ++i) {
    const core::Percentiles stage = stats_.Get(static_cast<core::Stage>(i));
    s.stage_ms[i] = stage.p50_ms;
    s.stage_p95_ms[i] = stage.p95_ms;
  }
  s.latency_ms = stats_.Get(core::Stage::kLatency).p50_ms;
  s.source = Describe(pipeline.info());
  s.status = pipeline.status();
  s.backend = "gl";
  s.shader_log = renderer_.shader_error();
  s.error = error_.empty() ? pipeline.error() : error_;
  s.recording = recorder_.recording();
  s.still = pipeline.info().kind == capture::SourceKind::kImage;
  return s;
}

void Preview::SaveSettings(const Pipeline& pipeline) {
  if (settings_path_.empty()) return;
  Settings s = remembered_;
  s.params = params_;
  const capture::SourceInfo& info = pipeline.info();
  // A photo's detector runs at the photo's width (app.cpp); that is not the user's choice.
  if (info.kind == capture::SourceKind::kImage) {
    s.params.detect_width = remembered_.params.detect_width;
  }
  const bool camera = info.kind == capture::SourceKind::kCamera;
  StoreSettings(view_, camera ? camera_input_ : "", info.width, info.height, info.fps, s);
  size_t size = 0;
  const char* layout = ImGui::SaveIniSettingsToMemory(&size);
  s.panel_layout.assign(layout, size);
  const core::Status status = app::SaveSettings(settings_path_, s);
  if (!status.ok()) spdlog::warn("settings not saved: {}", status.error().message);
}

core::Status Preview::Run(Pipeline& pipeline, const std::string& stats_path) {
  const int64_t t_start = core::NowNs();
  const double cpu_start = core::ProcessCpuSeconds();
  bool quit = false;
  pipeline_ = &pipeline;
  fps_window_start_ = core::NowNs();
  view_.preset_names = core::ListPresetNames();
  Refresh(pipeline.info());
  if (vcam_.on()) SelectVcamSpec(vcam_.spec(), view_);  // a command-line v4l2: output
  while (!quit && !context_->ShouldClose() && !StopRequested()) {
    std::optional<TrackedFrame> next = pipeline.TryTake();
    if (next) {
      current_ = std::move(*next);
      have_frame_ = true;
    }
    if (control_ != nullptr && control_->channel().TakeChanges(params_, view_.effect_on)) {
      pipeline.SetParams(params_);
    }
    if (renderer_.ReloadShadersIfChanged()) rewarp_ = true;
    if (have_frame_) ShowFrame(next.has_value());
    if (next && vcam_.on()) vcam_.Write(readback_, pipeline.info());

    int fb_w = 0, fb_h = 0, win_w = 0, win_h = 0;
    context_->FramebufferSize(fb_w, fb_h);
    glfwGetWindowSize(context_->window(), &win_w, &win_h);
    const float fb_per_screen = win_w > 0 ? static_cast<float>(fb_w) / win_w : 1.0f;
    const int margin = static_cast<int>(panel_.width() * fb_per_screen);
    renderer_.DrawToWindow(fb_w, fb_h, view_.split_view ? view_.split : 0.0f, margin);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    DrawOverlays(fb_w, fb_h, margin);
    const core::Params before = params_;
    const bool effect_before = view_.effect_on;
    // Percentiles sort the stage samples: refresh them a few times a second, not every frame.
    const int64_t now_ns = core::NowNs();
    panel_stats_.new_sample = false;
    if (now_ns - panel_stats_ns_ > 250'000'000) {
      panel_stats_ = CollectStats(pipeline);
      panel_stats_ns_ = now_ns;
    }
    panel_stats_.vcam_on = vcam_.on();
    panel_stats_.vcam_target = vcam_.on() ? VcamTarget(vcam_.spec()) : "";
    panel_stats_.vcam_frames = vcam_.frames();
    panel_stats_.vcam_error = vcam_.error();
    panel_stats_.fps = fps_;
    panel_stats_.recording = recorder_.recording();
    const ui::PanelActions actions = panel_.Draw(params_, view_, panel_stats_);
    HandleActions(actions, pipeline);
    quit = actions.quit;
    if (!core::SameValues(before, params_)) pipeline.SetParams(params_);
    if (control_ != nullptr) {
      if (!core::SameValues(before, params_) || effect_before != view_.effect_on) {
        control_->channel().Publish(params_, view_.effect_on);
      }
      control_->channel().Serve(*this);
    }
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    context_->SwapBuffers();

    if (next) {
      stats_.Record(core::Stage::kLatency, (core::NowNs() - current_.frame.capture_ns) * 1e-6);
      stats_.CountFrame();
      ++fps_window_frames_;
      // --frames N: the preview closes once N frames have been shown.
      if (max_frames_ > 0 && stats_.frames() >= max_frames_) quit = true;
    }
    const int64_t now = core::NowNs();
    if (now - fps_window_start_ > 500'000'000) {
      fps_ = fps_window_frames_ * 1e9 / static_cast<double>(now - fps_window_start_);
      fps_window_start_ = now;
      fps_window_frames_ = 0;
    }
    // Without vsync (Xvfb) an idle loop would spin: wait for input or the next frame. A
    // still photo gets a new frame only when a parameter changes: wait longer.
    if (next) {
      render::GlContext::PollEvents();
    } else {
      glfwWaitEventsTimeout(pipeline.info().kind == capture::SourceKind::kImage ? 0.1 : 0.004);
    }
  }
  if (recorder_.recording()) {
    auto done = recorder_.Stop();
    if (done.ok()) spdlog::info("recorded {}", *done);
  }
  stats_.CountDropped(pipeline.dropped());
  SaveSettings(pipeline);
  pipeline.Stop();
  // Every output completed before any is committed (sink.h).
  FW_RETURN_IF_ERROR(vcam_.Stop());
  for (auto& sink : sinks_) FW_RETURN_IF_ERROR(sink->Complete());
  for (auto& sink : sinks_) FW_RETURN_IF_ERROR(sink->Commit());
  if (!stats_path.empty()) {
    stats_.SetNote("backend", "gl");
    stats_.SetNote("input", pipeline.info().name);
    stats_.SetNote("mode", "live preview");
    FW_RETURN_IF_ERROR(core::WriteFileAtomically(
        stats_path,
        stats_.ToJson((core::NowNs() - t_start) * 1e-9, core::ProcessCpuSeconds() - cpu_start)));
  }
  return core::Status::Ok();
}

}  // namespace

core::Status RunPreview(const Options& options, const std::string& input,
                        std::unique_ptr<capture::Source> source,
                        const capture::SourceOptions& source_options,
                        tracking::FaceAnalyzer& analyzer, const Settings& remembered,
                        const std::string& settings_path) {
  const capture::SourceInfo info = source->info();
  render::GlContextOptions window;
  window.visible = true;
  window.title = "facewarp - " + info.name;
  window.width = std::clamp(info.width + kPanelRoom, 960, 1680);
  window.height = std::clamp(info.height, 600, 960);
  auto context = render::GlContext::Create(window);
  if (context.ok()) FitWindowToPicture((*context)->window(), info);
  if (!context.ok()) {
    if (options.outputs.empty()) {
      return core::Error::Runtime(context.error().message +
                                  "; without a display, give --headless --output FILE");
    }
    spdlog::warn("no preview window ({}); running headless", context.error().message);
    return RunHeadless(options, input, std::move(source), source_options, analyzer);
  }
  FW_ASSIGN_OR_RETURN(auto renderer, render::WarpRenderer::Create());

  // The first v4l2: output is the panel's virtual camera; the others are plain outputs.
  std::vector<std::string> specs;
  std::string vcam_spec;
  for (const std::string& spec : options.outputs) {
    if (vcam_spec.empty() && spec.rfind("v4l2:", 0) == 0) {
      vcam_spec = spec;
    } else {
      specs.push_back(spec);
    }
  }
  FW_ASSIGN_OR_RETURN(Sinks sinks, OpenOutputs(specs, info, options.crf));
  Sinks vcam;
  if (!vcam_spec.empty()) {
    FW_ASSIGN_OR_RETURN(vcam, OpenOutputs({vcam_spec}, info));
  }
  if (!options.stats.empty()) FW_RETURN_IF_ERROR(output::CheckOutputPath(options.stats));

  core::RunStats pipeline_stats;
  PipelineOptions pipeline_options;
  pipeline_options.live = true;
  pipeline_options.paced = true;
  pipeline_options.loop = true;
  pipeline_options.max_frames = options.frames;
  Pipeline pipeline(std::move(source), input, source_options, analyzer, options.params,
                    pipeline_options, pipeline_stats);
  FW_ASSIGN_OR_RETURN(auto control,
                      ControlSession::Start(
                          options, options.params,
                          LiveStatsJson(pipeline_stats, core::NowNs(), core::ProcessCpuSeconds())));
  Preview preview(options, std::move(context).value(), std::move(renderer), std::move(sinks),
                  pipeline_stats, input, remembered, settings_path, control.get());
  if (!vcam.empty()) {
    preview.AdoptVirtualCamera(std::move(vcam.front()), vcam_spec, info.width, info.height);
  }
  pipeline.Start();
  return preview.Run(pipeline, options.stats);
}

}  // namespace fw::app
