// The warp plan: landmarks + parameters -> the list of local warps to apply, in forward
// order (DESIGN.md, "Per face"). Pure; thread-compatible.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <vector>

#include "core/face.h"
#include "core/geometry.h"
#include "core/params.h"

namespace fw::warp {

enum class OpKind { kTranslate, kScale };

// One local warp, in source-frame pixel coordinates.
//  kTranslate: centre c, target m, radius r, strength s (already bounded against fold-over).
//  kScale:     centre c, radius r, strength a in [0, 1); m is unused.
struct WarpOp {
  OpKind kind = OpKind::kTranslate;
  core::Vec2 c;
  core::Vec2 m;
  double r = 0.0;
  double strength = 0.0;
};

// The ops of one face: [begin, end) in the plan.
struct FaceOps {
  int begin = 0;
  int end = 0;
};

// The ops of a frame in forward order o1..on (the map is f1(f2(...fn(x))); warp_math.h,
// ComposedSource), and which of them belong to which face: the ops of one face are
// contiguous, and faces() lists each face that has ops, in order. The GL packer
// (warp/uniform_pack.h) bounds each face's ops by one box, so a new kind of op for a face only
// has to be appended inside AppendFacePlan. Reads like a std::vector<WarpOp>; clear() keeps
// the capacity, so a plan reused frame after frame stops allocating.
class WarpPlan {
 public:
  WarpPlan() = default;
  // A plan of one face holding ops (tests, hand-made plans).
  WarpPlan(std::initializer_list<WarpOp> ops);

  // Starts the next face: the ops appended from now on are its own. A face left without ops
  // is not listed.
  void StartFace();
  // Appends op to the current face (the first face if none was started).
  void push_back(const WarpOp& op);
  void clear();
  void reserve(size_t ops, size_t faces);

  const std::vector<FaceOps>& faces() const { return faces_; }
  const std::vector<WarpOp>& ops() const { return ops_; }
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  const WarpOp& operator[](size_t i) const { return ops_[i]; }
  const WarpOp& front() const { return ops_.front(); }
  const WarpOp& back() const { return ops_.back(); }
  std::vector<WarpOp>::const_iterator begin() const { return ops_.begin(); }
  std::vector<WarpOp>::const_iterator end() const { return ops_.end(); }
  std::vector<WarpOp>::const_reverse_iterator rbegin() const { return ops_.rbegin(); }
  std::vector<WarpOp>::const_reverse_iterator rend() const { return ops_.rend(); }

 private:
  std::vector<WarpOp> ops_;
  std::vector<FaceOps> faces_;
  bool face_started_ = false;  // the next op begins a new face
};

// A translation's strength is held to this fraction of FoldOverStrengthLimit, so the Jacobian
// determinant stays >= 1 - kFoldOverMargin instead of just touching 0.
inline constexpr double kFoldOverMargin = 0.9;
// Largest scaling strength: the scaling warp's determinant is >= (1 - a)^2, and at a = 1 the
// centre would collapse to a point.
inline constexpr double kMaxScaleStrength = 0.95;

// The ops of one face, in this order (DESIGN.md, "Per face"): the classic cheek pull (left,
// right; `thin`), the shape controls (warp/face_shape_ops.h: slim, jaw width, chin length,
// forehead height, nose width, mouth width, eye distance), then the eyes (left, right;
// scalings). Strengths are scaled by face.weight (clamped to [0, 1]) and bounded as above;
// ops with zero strength, radius or displacement, or with non-finite landmarks, are left out,
// so all-zero parameters give an empty plan. The ops form a new face of the plan (none when
// there are no ops). At most kMaxOpsPerFace ops. Appends, allocating only when plan's
// capacity is exceeded.
void AppendFacePlan(const core::Face& face, const core::Params& params, WarpPlan& plan);

// At most this many faces are warped per frame, on every backend (the GL shader's uniform
// arrays hold this many); faces come largest first, so the smallest ones are left out.
inline constexpr int kMaxWarpedFaces = 8;
// The most ops AppendFacePlan emits for one face (2 cheeks, 12 slim, 2 jaw, 1 chin,
// 1 forehead, 2 nose, 2 mouth, 2 eye distance, 8 age (age_plan.h), 2 eyes = 34).
inline constexpr int kMaxOpsPerFace = 34;
// Replaces plan's contents with the ops of the first kMaxWarpedFaces faces; returns how many
// faces were left out. Allocates only when plan's capacity is exceeded.
int PlanFrameInto(const core::Faces& faces, const core::Params& params, WarpPlan& plan);

}  // namespace fw::warp
