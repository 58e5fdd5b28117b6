// The CPU reference of the appearance layers: draws a LookPlan on an 8-bit BGR image in place.
// The GL appearance pass (render/appearance_pass) mirrors it and the GL tests hold the two
// together. A CpuLooks is used from one thread; it spreads rows over OpenCV's worker pool.
#pragma once

#include <opencv2/core.hpp>

#include "core/result.h"
#include "looks/look_plan.h"

namespace fw::looks {

class CpuLooks {
 public:
  // Each face's mesh is rasterised in triangle order (a later triangle, and a later face, wins
  // where they overlap, as in GL); each covered pixel samples the canonical layers at its
  // interpolated canonical point and is shaded by shade.h from the image as it was before any
  // face's look. Pixels where every layer weight is 0 are left bit-exact. Errors when image is
  // not 8-bit BGR. No allocation once the scratch has grown to the frame and faces.
  core::Status Apply(const LookPlan& plan, cv::Mat& image);

 private:
  cv::Mat before_;  // the image before any look
  cv::Mat canon_;   // CV_32FC2 over one face's box: canonical point per covered pixel, or NaN
};

// Bilinear sample of the canonical layers (CanonicalLayers()) at texel point t, clamped to the
// edge, in [0, 255]; the same arithmetic as the shader's.
void SampleLayers(float tx, float ty, float out[4]);

}  // namespace fw::looks
