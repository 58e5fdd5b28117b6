// The GL warp backend (upload, warp pass, readback) against its floor: the same upload, a
// pass-through draw of the whole frame and the same readback. Needs a display (xvfb-run gives
// Mesa's llvmpipe); without one every case is skipped with the reason. Wall time, and the
// process's CPU time (llvmpipe renders on its own threads). Main thread only.
#include <benchmark/benchmark.h>

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <utility>

#include "bench/bench_inputs.h"
#include "looks/look_plan.h"
#include "render/gl/draw_state.h"
#include "render/gl/shader.h"
#include "render/gl/texture.h"
#include "render/gl_warp_backend.h"
#include "render/readback.h"
#include "warp/look_mapping.h"

namespace fw::bench {
namespace {

// The pass-through program and the objects the floor draws with, on the backend's context.
struct Floor {
  render::GlProgram program;
  render::GlVertexArray vertex_array;
  render::UploadTexture source;
  render::RenderTarget target;
};

struct GlRig {
  std::unique_ptr<render::GlWarpBackend> backend;
  std::unique_ptr<Floor> floor;
  std::string error;  // why there is no backend
};

core::Result<render::GlProgram> BuildPassThrough() {
  auto shader_dir = render::FindShaderDir();
  if (!shader_dir) return shader_dir.error();
  auto vertex_text = render::LoadShaderText(*shader_dir, "fullscreen.vert", {});
  if (!vertex_text) return vertex_text.error();
  auto fragment_text = render::LoadShaderText(std::string(FACEWARP_SOURCE_DIR) + "/bench/shaders",
                                              "passthrough.frag", {});
  if (!fragment_text) return fragment_text.error();
  auto vertex = render::CompileShader(GL_VERTEX_SHADER, *vertex_text);
  if (!vertex) return vertex.error();
  auto fragment = render::CompileShader(GL_FRAGMENT_SHADER, *fragment_text);
  if (!fragment) return fragment.error();
  return render::LinkProgram(*vertex, *fragment, "bench pass-through");
}

GlRig& Rig() {
  static GlRig rig = [] {
    GlRig r;
    auto backend = render::GlWarpBackend::Create();
    if (!backend) {
      r.error = backend.error().message;
      return r;
    }
    r.backend = std::move(backend).value();
    auto program = BuildPassThrough();
    if (!program) {
      r.error = program.error().message;
      r.backend.reset();
      return r;
    }
    r.floor = std::make_unique<Floor>(
        Floor{std::move(program).value(), render::GlVertexArray::Create(), {}, {}});
    return r;
  }();
  if (rig.backend) rig.backend->context().MakeCurrent();
  return rig;
}

// True when the case can run; otherwise the state is marked skipped with the reason.
bool HaveGl(benchmark::State& state) {
  GlRig& rig = Rig();
  if (rig.backend) return true;
  state.SkipWithError(("skipped, no GL context (run under xvfb-run): " + rig.error).c_str());
  return false;
}

void Check(benchmark::State& state, const core::Status& status) {
  if (!status.ok()) state.SkipWithError(status.error().message.c_str());
}

void RunGlWarp(benchmark::State& state, const FaceFrame& frame) {
  if (!HaveGl(state)) return;
  const warp::WarpPlan plan = PlanFor(frame, DefaultParams());
  cv::Mat dst;
  for (auto _ : state) {
    Check(state, Rig().backend->Warp(frame.image, plan, dst));
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["faces"] = static_cast<double>(frame.faces.size());
}

void BM_GlWarp_OneFace720p(benchmark::State& state) { RunGlWarp(state, OneFace720p()); }
void BM_GlWarp_FourFaces720p(benchmark::State& state) { RunGlWarp(state, FourFaces720p()); }

// The same with the appearance layers at full strength (age and skin smoothing at 1): the
// difference to BM_GlWarp_* is the appearance pass's cost.
void RunGlWarpLooks(benchmark::State& state, const FaceFrame& frame) {
  if (!HaveGl(state)) return;
  const core::Params params = LooksParams();
  const warp::WarpPlan plan = PlanFor(frame, params);
  looks::LookPlan looks;
  looks::PlanLooks(frame.faces, params, frame.image, looks);
  warp::MoveLooksThroughWarp(plan, looks);
  cv::Mat dst;
  for (auto _ : state) {
    Check(state, Rig().backend->WarpWithLooks(frame.image, plan, looks, dst));
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["faces"] = static_cast<double>(looks.num_faces);
}
void BM_GlWarpLooks_OneFace720p(benchmark::State& state) { RunGlWarpLooks(state, OneFace720p()); }
void BM_GlWarpLooks_FourFaces720p(benchmark::State& state) {
  RunGlWarpLooks(state, FourFaces720p());
}
void BM_GlWarp_Group3_720p(benchmark::State& state) { RunGlWarp(state, Group3Frame()); }

void DrawPassThrough(Floor& floor) {
  render::SetPlainDrawState();
  glBindFramebuffer(GL_FRAMEBUFFER, floor.target.framebuffer());
  glViewport(0, 0, floor.target.width(), floor.target.height());
  glUseProgram(floor.program.id());
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, floor.source.id());
  glUniform1i(glGetUniformLocation(floor.program.id(), "u_source"), 0);
  glBindVertexArray(floor.vertex_array.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
}

// The floor: upload + pass-through draw + readback of a 720p frame.
void BM_GlFloor_720p(benchmark::State& state) {
  if (!HaveGl(state)) return;
  const cv::Mat& image = OneFace720p().image;
  Floor& floor = *Rig().floor;
  cv::Mat dst;
  for (auto _ : state) {
    Check(state, floor.source.Upload(image));
    Check(state, floor.target.Resize(image.cols, image.rows));
    DrawPassThrough(floor);
    Check(state, render::ReadTarget(floor.target, dst));
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
}

// The floor's parts on their own.
void BM_GlUpload_720p(benchmark::State& state) {
  if (!HaveGl(state)) return;
  const cv::Mat& image = OneFace720p().image;
  Floor& floor = *Rig().floor;
  for (auto _ : state) {
    Check(state, floor.source.Upload(image));
    glFinish();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_GlReadback_720p(benchmark::State& state) {
  if (!HaveGl(state)) return;
  const cv::Mat& image = OneFace720p().image;
  Floor& floor = *Rig().floor;
  Check(state, floor.source.Upload(image));
  Check(state, floor.target.Resize(image.cols, image.rows));
  DrawPassThrough(floor);
  glFinish();
  cv::Mat dst;
  for (auto _ : state) {
    Check(state, render::ReadTarget(floor.target, dst));
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_GlWarp_FourFaces720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GlWarpLooks_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GlWarpLooks_FourFaces720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GlWarp_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GlWarp_Group3_720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_GlFloor_720p)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_GlUpload_720p)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_GlReadback_720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace fw::bench
