// Parameter sets and plans for the warp tests. Header-only.
#pragma once

#include "core/face.h"
#include "core/params.h"
#include "warp/warp_plan.h"

namespace fw::test {

// The plan the pipeline makes for faces (warp::PlanFrameInto: at most kMaxWarpedFaces faces).
inline warp::WarpPlan Plan(const core::Faces& faces, const core::Params& params) {
  warp::WarpPlan plan;
  warp::PlanFrameInto(faces, params, plan);
  return plan;
}

// The classic warp's four parameters, every other warp parameter (slim and the shape
// controls) at 0, the rest at their defaults.
inline core::Params ClassicParams(double thin, double thin_radius, double eyes, double eye_radius) {
  core::Params p = core::DefaultParams();
  p.thin = thin;
  p.thin_radius = thin_radius;
  p.eyes = eyes;
  p.eye_radius = eye_radius;
  p.slim = 0.0;
  p.chin_length = p.jaw_width = p.nose_width = p.mouth_width = 0.0;
  p.forehead_height = p.eye_distance = 0.0;
  return p;
}

// The defaults of the releases before contour slimming: the cheek pull at 1.4, radius 1.2,
// eyes 0.2 (the baseline the contour slimming is measured against).
inline core::Params CheekPullDefaults() { return ClassicParams(1.4, 1.2, 0.2, 1.5); }

// Every warp parameter ("Face" and "Shape" groups) at its maximum, or (low) at its minimum
// where that is not 0.
inline core::Params AllWarpExtremes(bool low) {
  core::Params p = core::DefaultParams();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    if (spec.group != "Face" && spec.group != "Shape") continue;
    p.*spec.field = low && spec.min < 0.0 ? spec.min : spec.max;
  }
  return p;
}

// The same for the reshaping controls, with the classic cheek pull (`thin`, whose discs are
// half outside the face by design) off.
inline core::Params AllReshapeExtremes(bool low) {
  core::Params p = AllWarpExtremes(low);
  p.thin = 0.0;
  return p;
}

}  // namespace fw::test
