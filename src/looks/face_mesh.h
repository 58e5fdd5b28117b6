// The face mesh of the appearance layers: the 68 landmarks, forehead points extrapolated above
// the brows and an outer ring (hair and a fade-out margin), triangulated once on a canonical
// face. Canonical coordinates: origin midway between the eye centres, x along the eyes (image
// right), y down, unit = outer eye-corner distance. Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::looks {

inline constexpr int kForeheadFirst = 68;                      // 10 points, above brows p17..p26
inline constexpr int kJawRingFirst = kForeheadFirst + 10;      // 17 points, outside jaw p0..p16
inline constexpr int kForeheadRingFirst = kJawRingFirst + 17;  // 10 points, above the forehead
inline constexpr int kMeshPoints = kForeheadRingFirst + 10;

using MeshPoints = std::array<core::Vec2, kMeshPoints>;

// The canonical face (a symmetric mean of real faces) with its derived points.
const MeshPoints& CanonicalMesh();

// Triangles (vertex index triples) of the Delaunay triangulation of CanonicalMesh(), computed
// once; the same list is used on every face, by every backend, in this order.
const std::vector<uint16_t>& MeshTriangles();

// A face's frame: centre between the eye centres, unit x axis along the eyes, scale (outer
// eye-corner distance, pixels). Canonical point q lies at origin + scale·(q.x·x_axis + q.y·y_axis).
struct FaceFrame {
  core::Vec2 origin;
  core::Vec2 x_axis;
  core::Vec2 y_axis;
  double scale = 0.0;
  core::Vec2 ToImage(core::Vec2 q) const { return origin + scale * (q.x * x_axis + q.y * y_axis); }
};
FaceFrame FrameOf(const core::Face& face);

// The mesh points of face in its pixel space: the landmarks, then the derived points placed by
// their canonical offsets from the landmark they hang on, turned and scaled by the face frame.
void FaceMeshPoints(const core::Face& face, MeshPoints& out);

}  // namespace fw::looks
