# SIMD level of facewarp's own modules (facewarp_simd(), applied per target by
# facewarp_module(), never to the whole build). dlib's HOG detector and shape predictor are
# templates compiled into our own objects, so they gain most from wider vectors.
#   baseline  the default: the architecture's baseline (x86-64: SSE2), as a .deb must run on
#             any machine of its architecture;
#   native    -march=native: the build machine's CPU, for local builds and benchmarks (the
#             binary may die with SIGILL on another machine);
#   avx2      AVX2 + FMA (x86-64-v3 machines).
# "auto" and "none", the values of older caches, mean baseline.
set(_fw_simd_flags "")
string(TOLOWER "${FACEWARP_SIMD}" _fw_simd)
if(_fw_simd STREQUAL "auto" OR _fw_simd STREQUAL "none" OR _fw_simd STREQUAL "")
  set(_fw_simd baseline)
endif()
if(_fw_simd STREQUAL "native")
  set(_fw_simd_flags -march=native)
elseif(_fw_simd STREQUAL "avx2")
  set(_fw_simd_flags -mavx -mavx2 -mfma -msse4.2)
elseif(NOT _fw_simd STREQUAL "baseline")
  message(FATAL_ERROR "FACEWARP_SIMD=${FACEWARP_SIMD}: expected baseline, native or avx2")
endif()
message(STATUS "facewarp SIMD level: ${_fw_simd} (${_fw_simd_flags})")
set(FACEWARP_SIMD_FLAGS ${_fw_simd_flags} CACHE INTERNAL "")

function(facewarp_simd target)
  target_compile_options(${target} PRIVATE ${FACEWARP_SIMD_FLAGS})
endfunction()
