// Overlays drawn over the video in the preview: the 68 landmarks of each face and the discs of
// its warp ops, in ImGui's background draw list. ImGui calls only; main thread only.
#pragma once

#include "core/face.h"
#include "core/geometry.h"
#include "warp/warp_plan.h"

namespace fw::ui {

// Maps image pixel coordinates (pixel centres at integers) to ImGui screen coordinates.
struct ImageToScreen {
  float left = 0.0f;  // screen position of the image's top-left corner
  float top = 0.0f;
  float scale = 1.0f;  // screen pixels per image pixel

  core::Vec2 operator()(core::Vec2 p) const {
    return {left + (p.x + 0.5) * scale, top + (p.y + 0.5) * scale};
  }
};

void DrawLandmarks(const core::Faces& faces, const ImageToScreen& map);
void DrawWarpRegions(const warp::WarpPlan& plan, const ImageToScreen& map);

}  // namespace fw::ui
