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

void Count(std::atomic<long>& counter, size_t size) {
  if (!g_counting.load(std::memory_order_relaxed)) return;
  counter.fetch_add(1, std::memory_order_relaxed);
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
  size_t largest = 0;  // bytes of the largest single allocation
};

void StartCounting() {
  g_news = 0;
  g_mallocs = 0;
  g_largest = 0;
  g_counting = true;
}

Counts StopCounting() {
  g_counting = false;
  return {g_news.load(), g_mallocs.load(), g_largest.load()};
}

TEST(SteadyStateAllocation, DecodeWarpAndY4mWriteAllocateNoMemoryPerFrame) {
#if !FW_COUNT_ALLOCATIONS
  GTEST_SKIP() << "a sanitizer build owns malloc; allocations are counted in normal builds";
#endif
  const test::FaceImage astronaut = test::LoadFaceImage("astronaut");
  capture::SourceOptions options;
  options.planar = true;
  auto source = capture::OpenSource(iotest::Asset(iotest::kClip512), options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  const capture::SourceInfo info = (*source)->info();
  iotest::TempDir dir;
  auto sink =
      output::OpenSink(dir.File("out.y4m"), output::StreamInfo(info.width, info.height, info.fps));
  ASSERT_TRUE(sink.ok()) << sink.error().message;

  constexpr int kWarmUp = 20;
  constexpr int kFrames = 100;
  std::vector<Counts> decode(kFrames);  // Source::Read: demuxing and decoding
  std::vector<Counts> rest(kFrames);    // plan, warp, write, and the frame let go
  warp::CpuWarpBackend backend;
  warp::WarpPlan plan;
  core::YuvImage warped;
  const core::Params params = core::DefaultParams();
  for (int i = 0; i < kFrames; ++i) {
    core::Frame frame;
    StartCounting();
    const capture::ReadState state = (*source)->Read(frame);
    decode[i] = StopCounting();
    ASSERT_EQ(state, capture::ReadState::kFrame) << "frame " << i;
    StartCounting();
    // The pipeline's per-frame work on the main thread (app/headless.cpp, planar branch).
    plan.clear();
    warp::PlanFrameInto(astronaut.faces, params, plan);
    bool ok = backend.WarpYuv(frame.yuv, plan, warped).ok() && (*sink)->WriteYuv(warped).ok();
    frame = core::Frame();  // the frame lets go of its picture, as the pipeline's does
    rest[i] = StopCounting();
    ASSERT_TRUE(ok) << "frame " << i;
  }
  ASSERT_FALSE(plan.empty()) << "the astronaut's face is warped";
  ASSERT_TRUE((*sink)->Finish().ok());

  const size_t picture = static_cast<size_t>(info.width) * static_cast<size_t>(info.height);
  long decode_mallocs = 0;
  size_t decode_largest = 0;
  for (int i = kWarmUp; i < kFrames; ++i) {
    // Warp plan, planar warp, y4m write: nothing at all (OpenCV's cv::Mat buffers come from
    // posix_memalign, so a plane made per frame would show here).
    EXPECT_EQ(rest[i].news, 0) << "operator new in plan/warp/write on frame " << i;
    EXPECT_EQ(rest[i].mallocs, 0) << "malloc in plan/warp/write on frame " << i;
    // Decoding: no C++ allocation (the picture's owner is a reused slot), no picture-sized
    // buffer (the planes come from the decoder's pool, or a reused slot). What remains is
    // FFmpeg's own bookkeeping inside av_read_frame and avcodec_send_packet, which no caller
    // can avoid: 24-byte AVBufferRefs and 48-byte AVBuffers for the packet and the pictures
    // it refers to (av_buffer_ref, av_buffer_pool_get), the packet's payload and the parser's
    // copy (packet-sized, a few KiB), a side-data dictionary entry. 39 per frame on this clip
    // with Debian's FFmpeg 5.1; the bound leaves room for other versions.
    EXPECT_EQ(decode[i].news, 0) << "operator new in decoding on frame " << i;
    EXPECT_LE(decode[i].mallocs, 64) << "malloc calls in decoding on frame " << i;
    EXPECT_LT(decode[i].largest, picture / 4) << "a picture-sized allocation on frame " << i;
    decode_mallocs += decode[i].mallocs;
    decode_largest = std::max(decode_largest, decode[i].largest);
  }
  std::printf(
      "frames %d..%d: decoding %.1f malloc calls per frame (FFmpeg's), largest %zu "
      "bytes; plan, warp and write none\n",
      kWarmUp, kFrames - 1, static_cast<double>(decode_mallocs) / (kFrames - kWarmUp),
      decode_largest);
}

}  // namespace
}  // namespace fw
