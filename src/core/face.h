// A face: its detection box and its 68 landmarks (iBUG 300-W / dlib order), in the input's
// pixel space. Named indices for the points the warp plan uses. Pure value types.
#pragma once

#include <array>
#include <vector>

#include "core/geometry.h"

namespace fw::core {

inline constexpr int kNumLandmarks = 68;

// 0-based indices into the 68-point layout (0-16 jaw, 17-26 brows, 27-35 nose, 36-47 eyes,
// 48-67 mouth). "Left" and "right" are as seen in the image.
namespace lm {
inline constexpr int kJawLeftCheek = 3;    // p3: pulled toward the nose tip
inline constexpr int kJawLeftLower = 5;    // p5: sets the left cheek radius
inline constexpr int kJawRightCheek = 13;  // p13
inline constexpr int kJawRightLower = 15;  // p15
inline constexpr int kNoseTip = 30;        // p30
inline constexpr int kLeftEyeFirst = 36;   // p36..p41: left eye ring, p36 outer corner
inline constexpr int kLeftEyeInner = 39;
inline constexpr int kRightEyeFirst = 42;  // p42..p47: right eye ring, p45 outer corner
inline constexpr int kRightEyeOuter = 45;
inline constexpr int kEyeRingSize = 6;
}  // namespace lm

struct Face {
  Rect box;
  std::array<Vec2, kNumLandmarks> points{};
  // 1 for a fully present face; a face being lost fades toward 0 and scales every warp's
  // strength, so the warp never sticks to stale landmarks or pops off.
  double weight = 1.0;
  // The tracked face's identity, the same on every frame of its track (0: not tracked).
  int id = 0;
};

// Distance between the outer eye corners (p36, p45): the face's scale for tolerances.
inline double OuterEyeDistance(const Face& f) { return Distance(f.points[36], f.points[45]); }

using Faces = std::vector<Face>;

}  // namespace fw::core
