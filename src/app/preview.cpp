#include "app/preview.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "app/headless.h"
#include "app/outputs.h"
#include "app/pipeline.h"
#include "core/atomic_file.h"
#include "core/log.h"
#include "core/preset.h"
#include "core/stats.h"
#include "output/recorder.h"
#include "output/sink.h"
#include "render/gl_context.h"
#include "render/present_pass.h"
#include "render/warp_renderer.h"
#include "ui/overlay.h"
#include "ui/panel.h"
#include "looks/look_plan.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::app {

namespace {

constexpr int kPanelRoom = 400;  // window width set aside for the panel at start

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

// Shrinks a window that would not fit on the screen. Needs GLFW initialised (a window
// exists).
void FitWindowToScreen(GLFWwindow* window, const capture::SourceInfo& info) {
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
  if (mode == nullptr || info.width <= 0 || info.height <= 0) return;
  int width = 0, height = 0;
  glfwGetWindowSize(window, &width, &height);
  const int max_width = mode->width * 9 / 10;
  const int max_height = mode->height * 9 / 10;
  if (width <= max_width && height <= max_height) return;
  // The video is letterboxed into what is left beside the panel.
  glfwSetWindowSize(window, std::min(width, max_width), std::min(height, max_height));
}

std::string ShotPath() {
  return output::RecordingPath(".", std::chrono::system_clock::now(), ".png");
}

std::string Describe(const capture::SourceInfo& info) {
  const char* kind = info.kind == capture::SourceKind::kCamera ? "camera " : "";
  return std::string(kind) + info.name + " (" + std::to_string(info.width) + "x" +
         std::to_string(info.height) + " @ " + std::to_string(static_cast<int>(info.fps + 0.5)) +
         " fps)";
}

class Preview {
 public:
  Preview(const Options& options, std::unique_ptr<render::GlContext> context,
          render::WarpRenderer renderer, Sinks sinks,
          core::RunStats& stats)
      : params_(options.params),
        context_(std::move(context)),
        renderer_(std::move(renderer)),
        sinks_(std::move(sinks)),
        imgui_(context_->window()),
        stats_(stats) {}

  core::Status Run(Pipeline& pipeline, const std::string& stats_path);

 private:
  void ShowFrame(bool new_frame);
  void DrawOverlays(int fb_width, int fb_height, int margin);
  void HandleActions(const ui::PanelActions& actions, Pipeline& pipeline);
  ui::PanelStats CollectStats(const Pipeline& pipeline);

  core::Params params_;
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
};

void Preview::ShowFrame(bool new_frame) {
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
  if (!new_frame || (sinks_.empty() && !recorder_.recording())) return;
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

void Preview::DrawOverlays(int fb_width, int fb_height, int margin) {
  if (!have_frame_ || (!view_.show_landmarks && !view_.show_warp_regions)) return;
  int win_w = 0, win_h = 0;
  glfwGetWindowSize(context_->window(), &win_w, &win_h);
  if (win_w <= 0 || fb_width <= 0) return;
  const float to_screen = static_cast<float>(win_w) / static_cast<float>(fb_width);
  const render::ViewportRect rect = render::FitViewportBeside(
      renderer_.width(), renderer_.height(), fb_width, fb_height, margin);
  ui::ImageToScreen map;
  map.scale = to_screen * static_cast<float>(rect.width) / static_cast<float>(renderer_.width());
  map.left = to_screen * static_cast<float>(rect.x);
  map.top = to_screen * static_cast<float>(fb_height - rect.y - rect.height);
  if (view_.show_landmarks) ui::DrawLandmarks(current_.faces, map);
  if (view_.show_warp_regions) ui::DrawWarpRegions(plan_, map);
}

void Preview::HandleActions(const ui::PanelActions& actions, Pipeline& pipeline) {
  if (actions.save_screenshot && have_frame_) {
    const std::string path = ShotPath();
    const core::Status s = renderer_.Read(readback_);
    view_.message = s.ok() && cv::imwrite(path, readback_) ? "saved " + path
                                                           : "could not save " + path;
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
      auto done = recorder_.Stop();
      view_.message = done.ok() ? "recorded " + *done : done.error().message;
    } else if (have_frame_) {
      output::StreamInfo info;
      info.width = current_.frame.image.cols;
      info.height = current_.frame.image.rows;
      info.fps = fps_ > 1.0 ? fps_ : (pipeline.info().fps > 0.0 ? pipeline.info().fps : 30.0);
      const std::string path = output::RecordingPath(output::DefaultRecordingDirectory(),
                                                     std::chrono::system_clock::now());
      const core::Status s = recorder_.Start(path, info);
      view_.message = s.ok() ? "recording to " + path : s.error().message;
    }
  }
  if (actions.switch_camera) {
    const ui::CameraMode& mode = ui::CameraModes()[view_.camera_mode];
    capture::SourceOptions source_options;
    source_options.camera_width = mode.width;
    source_options.camera_height = mode.height;
    source_options.camera_fps = mode.fps;
    source_options.image_frames = -1;
    const core::Status s =
        pipeline.SwitchSource(std::to_string(view_.camera_index), source_options);
    view_.message = s.ok() ? "switched to " + Describe(pipeline.info()) : s.error().message;
  }
}

ui::PanelStats Preview::CollectStats(const Pipeline& pipeline) {
  ui::PanelStats s;
  s.fps = fps_;
  s.faces = static_cast<int>(current_.faces.size());
  s.frames = stats_.frames();
  s.dropped = pipeline.dropped();
  const core::Stage stages[] = {core::Stage::kCapture,  core::Stage::kDetect,
                                core::Stage::kLandmarks, core::Stage::kWarp,
                                core::Stage::kReadback, core::Stage::kOutput};
  for (size_t i = 0; i < s.stage_ms.size(); ++i) s.stage_ms[i] = stats_.Get(stages[i]).p50_ms;
  s.latency_ms = stats_.Get(core::Stage::kLatency).p50_ms;
  s.source = Describe(pipeline.info());
  s.status = pipeline.status();
  s.backend = "gl";
  s.shader_log = renderer_.shader_error();
  s.error = error_.empty() ? pipeline.error() : error_;
  s.recording = recorder_.recording();
  return s;
}

core::Status Preview::Run(Pipeline& pipeline, const std::string& stats_path) {
  const int64_t t_start = core::NowNs();
  const double cpu_start = core::ProcessCpuSeconds();
  bool quit = false;
  fps_window_start_ = core::NowNs();
  while (!quit && !context_->ShouldClose() && !StopRequested()) {
    std::optional<TrackedFrame> next = pipeline.TryTake();
    if (next) {
      current_ = std::move(*next);
      have_frame_ = true;
    }
    renderer_.ReloadShadersIfChanged();
    if (have_frame_) ShowFrame(next.has_value());

    int fb_w = 0, fb_h = 0, win_w = 0, win_h = 0;
    context_->FramebufferSize(fb_w, fb_h);
    glfwGetWindowSize(context_->window(), &win_w, &win_h);
    const float fb_per_screen = win_w > 0 ? static_cast<float>(fb_w) / win_w : 1.0f;
    const int margin = static_cast<int>(panel_.width() * fb_per_screen);
    renderer_.DrawToWindow(fb_w, fb_h, view_.split_view ? 0.5f : 0.0f, margin);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    DrawOverlays(fb_w, fb_h, margin);
    const core::Params before = params_;
    // Percentiles sort the stage samples: refresh them a few times a second, not every frame.
    const int64_t now_ns = core::NowNs();
    if (now_ns - panel_stats_ns_ > 250'000'000) {
      panel_stats_ = CollectStats(pipeline);
      panel_stats_ns_ = now_ns;
    }
    panel_stats_.fps = fps_;
    panel_stats_.recording = recorder_.recording();
    const ui::PanelActions actions = panel_.Draw(params_, view_, panel_stats_);
    HandleActions(actions, pipeline);
    quit = actions.quit;
    if (!core::SameValues(before, params_)) pipeline.SetParams(params_);
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    context_->SwapBuffers();

    if (next) {
      stats_.Record(core::Stage::kLatency, (core::NowNs() - current_.frame.capture_ns) * 1e-6);
      stats_.CountFrame();
      ++fps_window_frames_;
    }
    const int64_t now = core::NowNs();
    if (now - fps_window_start_ > 500'000'000) {
      fps_ = fps_window_frames_ * 1e9 / static_cast<double>(now - fps_window_start_);
      fps_window_start_ = now;
      fps_window_frames_ = 0;
    }
    // Without vsync (Xvfb) an idle loop would spin: wait for input or the next frame.
    if (next) {
      render::GlContext::PollEvents();
    } else {
      glfwWaitEventsTimeout(0.004);
    }
  }
  if (recorder_.recording()) {
    auto done = recorder_.Stop();
    if (done.ok()) spdlog::info("recorded {}", *done);
  }
  stats_.CountDropped(pipeline.dropped());
  pipeline.Stop();
  for (auto& sink : sinks_) FW_RETURN_IF_ERROR(sink->Finish());
  if (!stats_path.empty()) {
    stats_.SetNote("backend", "gl");
    stats_.SetNote("input", pipeline.info().name);
    stats_.SetNote("mode", "live preview");
    FW_RETURN_IF_ERROR(core::WriteFileAtomically(
        stats_path, stats_.ToJson((core::NowNs() - t_start) * 1e-9,
                                  core::ProcessCpuSeconds() - cpu_start)));
  }
  return core::Status::Ok();
}

}  // namespace

core::Status RunPreview(const Options& options, const std::string& input,
                        std::unique_ptr<capture::Source> source,
                        const capture::SourceOptions& source_options,
                        tracking::FaceAnalyzer& analyzer) {
  const capture::SourceInfo info = source->info();
  render::GlContextOptions window;
  window.visible = true;
  window.title = "facewarp - " + info.name;
  window.width = std::clamp(info.width + kPanelRoom, 960, 1680);
  window.height = std::clamp(info.height, 600, 960);
  auto context = render::GlContext::Create(window);
  if (context.ok()) FitWindowToScreen((*context)->window(), info);
  if (!context.ok()) {
    if (options.outputs.empty()) {
      return core::Error::Runtime(context.error().message +
                                  "; without a display, give --headless --output FILE");
    }
    spdlog::warn("no preview window ({}); running headless", context.error().message);
    return RunHeadless(options, input, std::move(source), source_options, analyzer);
  }
  auto renderer = render::WarpRenderer::Create();
  if (!renderer.ok()) return renderer.error();

  auto sinks = OpenOutputs(options.outputs, info);
  if (!sinks.ok()) return sinks.error();

  core::RunStats pipeline_stats;
  PipelineOptions pipeline_options;
  pipeline_options.live = true;
  pipeline_options.paced = true;
  pipeline_options.loop = true;
  pipeline_options.max_frames = options.frames;
  Pipeline pipeline(std::move(source), input, source_options, analyzer, options.params,
                    pipeline_options, pipeline_stats);
  Preview preview(options, std::move(context).value(), std::move(renderer).value(),
                  std::move(sinks).value(), pipeline_stats);
  pipeline.Start();
  return preview.Run(pipeline, options.stats);
}

}  // namespace fw::app
