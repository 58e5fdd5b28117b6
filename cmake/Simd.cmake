# SIMD flags. dlib's HOG detector and shape predictor are templates compiled into our own
# objects, so they run 1.3-2.5x faster with -O3 and AVX than at -O2. "auto" asks the build
# machine's CPU; "none" gives a portable x86-64 (or non-x86) binary.
include(CheckCXXSourceRuns)

set(FACEWARP_SIMD_FLAGS "")
string(TOLOWER "${FACEWARP_SIMD}" _fw_simd)
if(_fw_simd STREQUAL "auto")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
    check_cxx_source_runs([=[
      int main() { return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 0 : 1; }
    ]=] FACEWARP_CPU_HAS_AVX2)
    check_cxx_source_runs([=[
      int main() { return __builtin_cpu_supports("sse4.2") ? 0 : 1; }
    ]=] FACEWARP_CPU_HAS_SSE4)
    if(FACEWARP_CPU_HAS_AVX2)
      set(_fw_simd avx2)
    elseif(FACEWARP_CPU_HAS_SSE4)
      set(_fw_simd sse4)
    else()
      set(_fw_simd none)
    endif()
  else()
    set(_fw_simd none)
  endif()
endif()

if(_fw_simd STREQUAL "avx2")
  set(FACEWARP_SIMD_FLAGS -mavx -mavx2 -mfma -msse4.2)
elseif(_fw_simd STREQUAL "sse4")
  set(FACEWARP_SIMD_FLAGS -msse4.2)
endif()
message(STATUS "facewarp SIMD level: ${_fw_simd} (${FACEWARP_SIMD_FLAGS})")
add_compile_options(${FACEWARP_SIMD_FLAGS})

# Release builds use -O3 (CMake's default Release flags already say -O3 -DNDEBUG for GCC).
