// Per-face look values from landmarks, parameters and the source frame. Pure.
#include "looks/look_plan.h"

#include <algorithm>
#include <cmath>

namespace fw::looks {

namespace {

struct Samples {
  std::array<float, 16> v[3];
  int n = 0;
};

// Mean RGB of a (2r+1)^2 patch around canonical point q of the face, when it lies in the image.
void AddPatch(const cv::Mat& bgr, const FaceFrame& frame, core::Vec2 q, Samples& s) {
  const core::Vec2 p = frame.ToImage(q);
  const int r = std::max(1, static_cast<int>(frame.scale * 0.03));
  if (!(p.x - r >= 0.0 && p.y - r >= 0.0 && p.x + r <= bgr.cols - 1 && p.y + r <= bgr.rows - 1) ||
      s.n >= 16) {
    return;
  }
  const int cx = static_cast<int>(p.x);
  const int cy = static_cast<int>(p.y);
  float sum[3] = {0.0f, 0.0f, 0.0f};
  for (int y = cy - r; y <= cy + r; ++y) {
    const uchar* row = bgr.ptr<uchar>(y);
    for (int x = cx - r; x <= cx + r; ++x) {
      for (int ch = 0; ch < 3; ++ch) sum[ch] += row[3 * x + 2 - ch];  // BGR -> RGB
    }
  }
  const float scale = 1.0f / (255.0f * static_cast<float>((2 * r + 1) * (2 * r + 1)));
  for (int ch = 0; ch < 3; ++ch) s.v[ch][s.n] = sum[ch] * scale;
  ++s.n;
}

// Per-channel median; false when no patch lay in the image.
bool Median(Samples& s, float out[3]) {
  if (s.n == 0) return false;
  for (int ch = 0; ch < 3; ++ch) {
    auto begin = s.v[ch].begin();
    std::nth_element(begin, begin + s.n / 2, begin + s.n);
    out[ch] = s.v[ch][s.n / 2];
  }
  return true;
}

void SampleColours(const cv::Mat& bgr, const FaceFrame& frame, ShadeParams& shade) {
  Samples skin;
  Samples hair;
  Samples background;
  for (double side : {-1.0, 1.0}) {
    AddPatch(bgr, frame, {side * 0.45, 0.35}, skin);
    AddPatch(bgr, frame, {side * 0.35, 0.45}, skin);
    AddPatch(bgr, frame, {side * 0.2, -0.42}, skin);
    AddPatch(bgr, frame, {side * 0.3, -1.0}, hair);
    AddPatch(bgr, frame, {side * 0.55, -0.9}, hair);
    AddPatch(bgr, frame, {side * 0.8, -0.6}, hair);
    AddPatch(bgr, frame, {side * 0.9, -0.3}, hair);
    AddPatch(bgr, frame, {side * 0.7, -1.55}, background);
    AddPatch(bgr, frame, {side * 1.3, -0.9}, background);
    AddPatch(bgr, frame, {side * 1.4, -0.3}, background);
  }
  AddPatch(bgr, frame, {0.0, -0.35}, skin);
  AddPatch(bgr, frame, {0.0, -1.05}, hair);
  AddPatch(bgr, frame, {0.0, -1.8}, background);
  if (!Median(skin, shade.skin)) {
    shade.hair_confidence = 0.0f;
    return;
  }
  if (!Median(hair, shade.hair)) std::copy(shade.skin, shade.skin + 3, shade.hair);
  if (!Median(background, shade.background)) {
    std::copy(shade.skin, shade.skin + 3, shade.background);
  }
  // Hair that looks like the skin (bald) or the background (dark hair on a dark wall) is left
  // alone rather than greying whatever shares its colour.
  const float apart = std::sqrt(
      std::min(Distance2(shade.hair, shade.skin), Distance2(shade.hair, shade.background)));
  shade.hair_confidence = SmoothStep(0.08f, 0.18f, apart);
}

bool Finite(const core::Face& face) {
  for (const core::Vec2& p : face.points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
  }
  return true;
}

}  // namespace

void PlanLooks(const core::Faces& faces, const core::Params& params, const cv::Mat& source,
               LookPlan& out) {
  out.num_faces = 0;
  const size_t n = std::min(faces.size(), static_cast<size_t>(kMaxLookFaces));
  for (size_t i = 0; i < n; ++i) {
    const core::Face& face = faces[i];
    const double weight = std::clamp(face.weight, 0.0, 1.0);
    const float age = static_cast<float>(params.age * weight);
    const float smooth = static_cast<float>(params.skin_smooth * weight);
    if (!(age > 0.0f || smooth > 0.0f) || !Finite(face)) continue;
    const FaceFrame frame = FrameOf(face);
    if (!(frame.scale > 1.0)) continue;
    FaceLook& look = out.faces[out.num_faces++];
    FaceMeshPoints(face, look.points);
    look.shade = ShadeParams{};
    look.shade.age = age;
    look.shade.smooth = smooth;
    look.tap_step = std::max(1, static_cast<int>(std::lround(frame.scale / 35.0)));
    if (!source.empty() && source.type() == CV_8UC3) SampleColours(source, frame, look.shade);
  }
}

}  // namespace fw::looks
