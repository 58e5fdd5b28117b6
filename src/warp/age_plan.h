// The age geometry (issue "Face aging"): translation warps that make a face look older, in the
// same units as the rest of the warp plan. Pure; thread-compatible.
#pragma once

#include "core/face.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// Appends the age ops of face at strength age (0-1, already scaled by the face's weight): jowls
// (the lower jaw at p5 and p11 drawn down), mouth corners (p48, p54) lowered, lips thinner
// (upper lip top p51 down, lower lip bottom p57 up), brows (p19, p24) lower. Displacements are
// fractions of the outer eye distance along the face's own down axis, so they follow its roll;
// strengths are bounded against fold-over as in AppendFacePlan. Nothing for age <= 0 or for
// non-finite landmarks. The ops go to plan's current face. Allocates only when plan's capacity
// is exceeded.
void AppendAgeOps(const core::Face& face, double age, WarpPlan& plan);

// Ops per face that AppendAgeOps adds at most.
inline constexpr int kAgeOpsPerFace = 8;

}  // namespace fw::warp
