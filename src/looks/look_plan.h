// The look plan: per face, the mesh (in the pixel space of the image the look is drawn on) and
// the values of its shading (shade.h). Built from the faces, the parameters and the source
// frame; warp::MoveLooksThroughWarp then moves the mesh onto the warped image. Pure;
// thread-compatible; no allocation.
#pragma once

#include <array>
#include <opencv2/core.hpp>

#include "core/face.h"
#include "core/params.h"
#include "looks/face_mesh.h"
#include "looks/shade.h"

namespace fw::looks {

inline constexpr int kMaxLookFaces = 8;  // the same as warp::kMaxWarpedFaces

struct FaceLook {
  MeshPoints points{};  // pixel coordinates
  ShadeParams shade;
  int tap_step = 1;  // pixels between the filter's taps, from the face's size
};

struct LookPlan {
  std::array<FaceLook, kMaxLookFaces> faces{};
  int num_faces = 0;
  bool empty() const { return num_faces == 0; }
};

// The looks of the first kMaxLookFaces faces with age or skin_smooth above 0 (scaled by the
// face's weight); faces with non-finite landmarks are left out. source: the 8-bit BGR frame the
// faces were found on (colours of skin, hair and background are sampled from it).
void PlanLooks(const core::Faces& faces, const core::Params& params, const cv::Mat& source,
               LookPlan& out);

}  // namespace fw::looks
