// The headless planar path allocates nothing per frame in steady state: decode (the video file
// source, planar) -> warp plan -> CPU planar warp -> YUV4MPEG2 file, frame after frame. This
// binary replaces operator new and the malloc family (through glibc's __libc_* entry points)
// with counting versions, so every heap allocation is seen, FFmpeg's and OpenCV's included.
// Counting, not timing: the result is the same on every run.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/params.h"
#include "output/sink.h"
#include "support/io_test_support.h"
#include "test_faces.h"
#include "warp/cpu_warp.h"
#include "warp/warp_plan.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FW_COUNT_ALLOCATIONS 0  // the sanitizers own malloc
#else
#define FW_COUNT_ALLOCATIONS 1
#endif

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_news{0};     // operator new: C++ code (ours, OpenCV's, the standard library)
std::atomic<long> g_mallocs{0};  // the malloc family: C code (FFmpeg's av_malloc, ...)
std::atomic<size_t> g_largest{0};
// Allocations on other threads (OpenCV's worker pool, which runs slices of the warp), counted
// apart: a worker's first slice makes its thread-local state once, whenever the pool first
// hands it work, which can be after the warm-up.
std::atomic<long> g_other_threads{0};
thread_local bool t_test_thread = false;

void Count(std::atomic<long>& counter, size_t size) {
  if (!g_counting.load(std::memory_order_relaxed)) return;
  (t_test_thread ? counter : g_other_threads).fetch_add(1, std::memory_order_relaxed);
  size_t seen = g_largest.load(std::memory_order_relaxed);
  while (size > seen && !g_largest.compare_exchange_weak(seen, size)) {
  }
}

}  // namespace

#if FW_COUNT_ALLOCATIONS
extern "C" {
void* __libc_malloc(size_t);            // NOLINT(bugprone-reserved-identifier): glibc's own
void* __libc_calloc(size_t, size_t);    // NOLINT(bugprone-reserved-identifier): glibc's own
void* __libc_realloc(void*, size_t);    // NOLINT(bugprone-reserved-identifier): glibc's own
void* __libc_memalign(size_t, size_t);  // NOLINT(bugprone-reserved-identifier): glibc's own
void __libc_free(void*);                // NOLINT(bugprone-reserved-identifier): glibc's own

void* malloc(size_t size) {
  Count(g_mallocs, size);
  return __libc_malloc(size);
}
void* calloc(size_t n, size_t size) {
  Count(g_mallocs, n * size);
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t size) {
  Count(g_mallocs, size);
  return __libc_realloc(p, size);
}
void free(void* p) { __libc_free(p); }
void* memalign(size_t alignment, size_t size) {
  Count(g_mallocs, size);
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(size_t alignment, size_t size) {
  Count(g_mallocs, size);
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  Count(g_mallocs, size);
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}  // extern "C"

namespace {
void* CountedNew(size_t size, size_t alignment) {
  Count(g_news, size);
  void* p = alignment > alignof(std::max_align_t) ? __libc_memalign(alignment, size)
                                                  : __libc_malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(size_t size) { return CountedNew(size, 0); }
void* operator new[](size_t size) { return CountedNew(size, 0); }
void* operator new(size_t size, std::align_val_t a) {
  return CountedNew(size, static_cast<size_t>(a));
}
void* operator new[](size_t size, std::align_val_t a) {
  return CountedNew(size, static_cast<size_t>(a));
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  Count(g_news, size);
  return __libc_malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  Count(g_news, size);
  return __libc_malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { __libc_free(p); }
void operator delete[](void* p) noexcept { __libc_free(p); }
void operator delete(void* p, size_t) noexcept { __libc_free(p); }
void operator delete[](void* p, size_t) noexcept { __libc_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { __libc_free(p); }
#endif  // FW_COUNT_ALLOCATIONS

namespace fw {
namespace {

struct Counts {
  long news = 0;
  long mallocs = 0;
  size_t largest = 0;      // bytes of the largest single allocation
  long other_threads = 0;  // allocations of any kind on other threads
};

void StartCounting() {
  g_news = 0;
  g_mallocs = 0;
  g_other_threads = 0;
  g_largest = 0;
  g_counting = true;
}

Counts StopCounting() {
  g_counting = false;
  return {g_news.load(), g_mallocs.load(), g_largest.load(), g_other_threads.load()};
}

// Per-frame counts of the headless planar path over `frames` frames of `clip`: decoding
// (Source::Read) apart from the rest (warp plan, planar warp, y4m write, the frame let go).
struct PathCounts {
  std::vector<Counts> decode;
  std::vector<Counts> rest;
  size_t picture = 0;  // luma bytes of one frame
};

void RunPlanarPath(const std::string& clip, int frames, PathCounts& out) {
  t_test_thread = true;
  const test::FaceImage astronaut = test::LoadFaceImage("astronaut");
  capture::SourceOptions options;
  options.planar = true;
  auto source = capture::OpenSource(clip, options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  const capture::SourceInfo info = (*source)->info();
  iotest::TempDir dir;
  auto sink =
      output::OpenSink(dir.File("out.y4m"), output::StreamInfo(info.width, info.height, info.fps));
  ASSERT_TRUE(sink.ok()) << sink.error().message;

  out.decode.assign(frames, Counts());
  out.rest.assign(frames, Counts());
  out.picture = static_cast<size_t>(info.width) * static_cast<size_t>(info.height);
  warp::CpuWarpBackend backend;
  warp::WarpPlan plan;
  core::YuvImage warped;
  const core::Params params = core::DefaultParams();
  for (int i = 0; i < frames; ++i) {
    core::Frame frame;
    StartCounting();
    const capture::ReadState state = (*source)->Read(frame);
    out.decode[i] = StopCounting();
    ASSERT_EQ(state, capture::ReadState::kFrame) << "frame " << i;
    StartCounting();
    // The pipeline's per-frame work on the main thread (app/headless.cpp, planar branch).
    plan.clear();
    warp::PlanFrameInto(astronaut.faces, params, plan);
    bool ok = backend.WarpYuv(frame.yuv, plan, warped).ok() && (*sink)->WriteYuv(warped).ok();
    frame = core::Frame();  // the frame lets go of its picture, as the pipeline's does
    out.rest[i] = StopCounting();
    ASSERT_TRUE(ok) << "frame " << i;
  }
  ASSERT_FALSE(plan.empty()) << "the astronaut's face is warped";
  ASSERT_TRUE((*sink)->Finish().ok());
}

// Warp plan, planar warp, y4m write: nothing at all on the calling thread (cv::Mat buffers come
// from posix_memalign, so a plane made per frame would show). OpenCV's workers: at most their
// one-time thread-local state (3 allocations for the random generator cv::theRNG makes for each
// new thread), never one per frame: 30 frames with one allocation each exceed this on any
// machine with fewer than 10 threads.
void ExpectNothingButDecoding(const PathCounts& c, int from) {
  long other_threads = 0;
  for (size_t i = from; i < c.rest.size(); ++i) {
    other_threads += c.decode[i].other_threads + c.rest[i].other_threads;
    EXPECT_EQ(c.rest[i].news, 0) << "operator new in plan/warp/write on frame " << i;
    EXPECT_EQ(c.rest[i].mallocs, 0) << "malloc in plan/warp/write on frame " << i;
    EXPECT_EQ(c.decode[i].news, 0) << "operator new in decoding on frame " << i;
  }
  EXPECT_LE(other_threads, 3L * std::max(1, cv::getNumThreads()))
      << "allocations on OpenCV's worker threads after the warm-up";
}

constexpr int kWarmUp = 20;

TEST(SteadyStateAllocation, DecodeWarpAndY4mWriteAllocateNoMemoryPerFrame) {
#if !FW_COUNT_ALLOCATIONS
  GTEST_SKIP() << "a sanitizer build owns malloc; allocations are counted in normal builds";
#endif
  PathCounts c;
  RunPlanarPath(iotest::Asset(iotest::kClip512), 100, c);
  if (HasFatalFailure()) return;
  ExpectNothingButDecoding(c, kWarmUp);
  long decode_mallocs = 0;
  size_t decode_largest = 0;
  for (size_t i = kWarmUp; i < c.decode.size(); ++i) {
    // Decoding: no picture-sized buffer (the planes come from the decoder's pool; the frame's
    // owner is a reused slot). What remains is FFmpeg's own bookkeeping inside av_read_frame
    // and avcodec_send_packet, which no caller can avoid: 24-byte AVBufferRefs and 48-byte
    // AVBuffers for the packet and the pictures it refers to (av_buffer_ref,
    // av_buffer_pool_get), the packet's payload and the parser's copy (packet-sized, a few
    // KiB), a side-data dictionary entry. 39 per frame on this clip with Debian's FFmpeg 5.1;
    // the bound leaves room for other versions.
    EXPECT_LE(c.decode[i].mallocs, 64) << "malloc calls in decoding on frame " << i;
    EXPECT_LT(c.decode[i].largest, c.picture / 4) << "a picture-sized allocation on frame " << i;
    decode_mallocs += c.decode[i].mallocs;
    decode_largest = std::max(decode_largest, c.decode[i].largest);
  }
  std::printf(
      "frames %d..%zu: decoding %.1f malloc calls per frame (FFmpeg's), largest %zu "
      "bytes; plan, warp and write none\n",
      kWarmUp, c.decode.size() - 1,
      static_cast<double>(decode_mallocs) / static_cast<double>(c.decode.size() - kWarmUp),
      decode_largest);
}

// Pictures that are not yuv420p are converted into planes of the decoder's own (the path a
// hardware decoder's pictures take after their copy to memory): those planes are reused too.
// The input: the clip's first frames as a 4:2:2 YUV4MPEG2 file, which FFmpeg's rawvideo decoder
// hands over as yuv422p.
TEST(SteadyStateAllocation, ConvertedPicturesReuseTheirPlanes) {
#if !FW_COUNT_ALLOCATIONS
  GTEST_SKIP() << "a sanitizer build owns malloc; allocations are counted in normal builds";
#endif
  constexpr int kFrames = 50;
  iotest::TempDir dir;
  const std::string path = dir.File("clip422.y4m");
  {
    capture::SourceOptions options;
    options.planar = true;
    auto source = capture::OpenSource(iotest::Asset(iotest::kClip512), options);
    ASSERT_TRUE(source.ok()) << source.error().message;
    const int w = (*source)->info().width;
    const int h = (*source)->info().height;
    std::string bytes =
        "YUV4MPEG2 W" + std::to_string(w) + " H" + std::to_string(h) + " F30:1 Ip A1:1 C422\n";
    core::Frame frame;
    for (int i = 0; i < kFrames; ++i) {
      ASSERT_EQ((*source)->Read(frame), capture::ReadState::kFrame);
      bytes += "FRAME\n";
      for (int y = 0; y < h; ++y) bytes.append(frame.yuv.y.ptr<char>(y), w);
      for (const cv::Mat* plane : {&frame.yuv.u, &frame.yuv.v}) {
        for (int y = 0; y < h; ++y) bytes.append(plane->ptr<char>(y / 2), plane->cols);
      }
    }
    iotest::WriteBytes(path, bytes);
  }
  PathCounts c;
  RunPlanarPath(path, kFrames, c);
  if (HasFatalFailure()) return;
  ExpectNothingButDecoding(c, kWarmUp);
  for (size_t i = kWarmUp; i < c.decode.size(); ++i) {
    // Raw video: the demuxer's packet is the picture (its payload, AVBuffer, AVBufferRef: 3);
    // avcodec_send_packet and the decoder's frame each take a reference (an AVBufferRef each):
    // 5 with FFmpeg 5.1. New planes per frame would add three cv::Mat buffers (and their
    // bookkeeping through operator new, checked above).
    EXPECT_LE(c.decode[i].mallocs, 6) << "malloc calls in decoding on frame " << i;
  }
}

}  // namespace
}  // namespace fw
