// Landmarks + parameters -> local warps (DESIGN.md, "Per face"). Pure.
#include "warp/warp_plan.h"

#include <algorithm>
#include <cmath>

#include "warp/age_plan.h"
#include "warp/face_frame.h"
#include "warp/face_shape_ops.h"
#include "warp/warp_math.h"

namespace fw::warp {

namespace {

void AppendCheek(const core::Face& face, int centre, int lower, double thin_radius, double strength,
                 WarpPlan& plan) {
  const core::Vec2 c = face.points[centre];
  const core::Vec2 m = face.points[core::lm::kNoseTip];
  const double r = thin_radius * core::Distance(c, face.points[lower]);
  const double d = core::Distance(c, m);
  const double s = std::min(strength, kFoldOverMargin * FoldOverStrengthLimit(r, d));
  // Written so that NaN or infinite landmarks (a lost track) leave the op out too.
  if (!(s > 0.0 && r > 0.0 && d > 0.0 && std::isfinite(r) && std::isfinite(d))) return;
  plan.push_back({OpKind::kTranslate, c, m, r, s});
}

void AppendEye(const core::Face& face, int first, int corner_a, int corner_b, double eye_radius,
               double strength, WarpPlan& plan) {
  core::Vec2 c;
  for (int i = 0; i < core::lm::kEyeRingSize; ++i) c = c + face.points[first + i];
  c = (1.0 / core::lm::kEyeRingSize) * c;
  const double r = eye_radius * core::Distance(face.points[corner_a], face.points[corner_b]);
  const double a = std::min(strength, kMaxScaleStrength);
  if (!(a > 0.0 && r > 0.0 && std::isfinite(r) && std::isfinite(c.x) && std::isfinite(c.y))) {
    return;
  }
  plan.push_back({OpKind::kScale, c, c, r, a});
}

}  // namespace

WarpPlan::WarpPlan(std::initializer_list<WarpOp> ops) : ops_(ops) {
  if (!ops_.empty()) faces_.push_back({0, static_cast<int>(ops_.size())});
}

void WarpPlan::StartFace() { face_started_ = true; }

void WarpPlan::push_back(const WarpOp& op) {
  if (face_started_ || faces_.empty()) {
    const int at = static_cast<int>(ops_.size());
    faces_.push_back({at, at});
    face_started_ = false;
  }
  ops_.push_back(op);
  faces_.back().end = static_cast<int>(ops_.size());
}

void WarpPlan::clear() {
  ops_.clear();
  faces_.clear();
  face_started_ = false;
}

void WarpPlan::reserve(size_t ops, size_t faces) {
  ops_.reserve(ops);
  faces_.reserve(faces);
}

void AppendFacePlan(const core::Face& face, const core::Params& params, WarpPlan& plan) {
  plan.StartFace();
  const double weight = std::clamp(face.weight, 0.0, 1.0);
  const double thin = params.thin * weight;
  const double eyes = params.eyes * weight;
  AppendCheek(face, core::lm::kJawLeftCheek, core::lm::kJawLeftLower, params.thin_radius, thin,
              plan);
  AppendCheek(face, core::lm::kJawRightCheek, core::lm::kJawRightLower, params.thin_radius, thin,
              plan);
  AppendShapeOps(face, EstimateFaceFrame(face), params, weight, plan);
  AppendAgeOps(face, params.age * weight, plan);
  AppendEye(face, core::lm::kLeftEyeFirst, core::lm::kLeftEyeFirst, core::lm::kLeftEyeInner,
            params.eye_radius, eyes, plan);
  AppendEye(face, core::lm::kRightEyeFirst, core::lm::kRightEyeFirst, core::lm::kRightEyeOuter,
            params.eye_radius, eyes, plan);
}

int PlanFrameInto(const core::Faces& faces, const core::Params& params, WarpPlan& plan) {
  plan.clear();
  plan.reserve(static_cast<size_t>(kMaxOpsPerFace) * kMaxWarpedFaces, kMaxWarpedFaces);
  const size_t warped = std::min(faces.size(), static_cast<size_t>(kMaxWarpedFaces));
  for (size_t i = 0; i < warped; ++i) AppendFacePlan(faces[i], params, plan);
  return static_cast<int>(faces.size() - warped);
}

}  // namespace fw::warp
