// The appearance layers drawn once, procedurally, in canonical face coordinates (face_mesh.h):
// an RGBA8 texture that the face mesh maps onto every face. Pure; thread-safe.
//   R: age shading, signed around 128 (128 = none; lower darkens: forehead lines, frown lines,
//      crow's feet, nasolabial folds, marionette lines, lip lines, under-eye bags)
//   G: skin mask (face minus eyes, brows, nostrils and lips), feathered, 0 at the outline
//   B: hair region (above and beside the face), feathered, 0 at the mesh's outer ring
//   A: age spots and low-frequency mottling
#pragma once

#include <opencv2/core.hpp>

#include "core/geometry.h"

namespace fw::looks {

inline constexpr double kLayerOriginX = -1.25;  // canonical point of texel (0, 0)'s centre
inline constexpr double kLayerOriginY = -1.55;
inline constexpr double kLayerScale = 160.0;  // texels per canonical unit
inline constexpr int kLayerWidth = 400;
inline constexpr int kLayerHeight = 504;

// CV_8UC4 in the channel order above, kLayerWidth x kLayerHeight; drawn on first use.
const cv::Mat& CanonicalLayers();

// Texel coordinates (texel centres at integers) of canonical point q.
inline core::Vec2 LayerTexel(core::Vec2 q) {
  return {(q.x - kLayerOriginX) * kLayerScale, (q.y - kLayerOriginY) * kLayerScale};
}

}  // namespace fw::looks
