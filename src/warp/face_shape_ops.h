// The shape controls of one face (contour slimming `slim`, chin length, jaw width, nose width,
// mouth width, forehead height, eye distance) as local translation warps placed along the
// face's own outline and axes (warp/face_frame.h). Every op's disc lies within about 0.1 face
// widths outside the outline, so hair, ears and background beyond that band stay put. Pure.
#pragma once

#include "core/face.h"
#include "core/geometry.h"
#include "core/params.h"
#include "warp/face_frame.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// Appends a translation op of radius r centred on c that moves the content around c by about
// `shift` pixels: the output pixel at c shows the source at c - shift (|m - c| = r, strength
// 4 |shift| / r). Held below the fold-over limit like every
// translation (so it may move less than asked: at most about 0.49 r). Leaves out zero or
// non-finite ops. `face` is the op's WarpOp::face.
void AppendShift(core::Vec2 c, core::Vec2 shift, double r, WarpPlan& plan);

// Appends the shape ops of one face, in this order: slim (jaw points 2-7 and 9-14), jaw
// width, chin length, forehead height, nose width, mouth width, eye distance. `weight`
// (0..1) scales every displacement; zero controls add no op.
void AppendShapeOps(const core::Face& face, const FaceFrame& frame, const core::Params& params,
                    double weight, WarpPlan& plan);

}  // namespace fw::warp
