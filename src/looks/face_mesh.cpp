// The canonical face and its triangulation. Pure.
#include "looks/face_mesh.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace fw::looks {

namespace {

// Mean of dlib's 68 points over the faces of tests/data, mirrored and averaged to be symmetric,
// in canonical coordinates.
constexpr double kCanonical68[68][2] = {
    {-0.7860, -0.0230}, {-0.7830, 0.1895},  {-0.7580, 0.4019},  {-0.7081, 0.6087},
    {-0.6185, 0.7970},  {-0.4905, 0.9605},  {-0.3369, 1.1022},  {-0.1753, 1.2218},
    {0.0000, 1.2594},   {0.1753, 1.2218},   {0.3369, 1.1022},   {0.4905, 0.9605},
    {0.6185, 0.7970},   {0.7081, 0.6087},   {0.7580, 0.4019},   {0.7830, 0.1895},
    {0.7860, -0.0230},  {-0.6494, -0.1868}, {-0.5446, -0.2522}, {-0.4119, -0.2601},
    {-0.2800, -0.2299}, {-0.1546, -0.1700}, {0.1546, -0.1700},  {0.2800, -0.2299},
    {0.4119, -0.2601},  {0.5446, -0.2522},  {0.6494, -0.1868},  {0.0000, 0.0108},
    {0.0000, 0.1617},   {0.0000, 0.3108},   {0.0000, 0.4612},   {-0.1535, 0.5314},
    {-0.0788, 0.5609},  {0.0000, 0.5865},   {0.0788, 0.5609},   {0.1535, 0.5314},
    {-0.5000, -0.0089}, {-0.4091, -0.0623}, {-0.2970, -0.0536}, {-0.2048, 0.0353},
    {-0.3093, 0.0480},  {-0.4193, 0.0415},  {0.2048, 0.0353},   {0.2970, -0.0536},
    {0.4091, -0.0623},  {0.5000, -0.0089},  {0.4193, 0.0415},   {0.3093, 0.0480},
    {-0.3286, 0.7188},  {-0.2080, 0.7020},  {-0.0837, 0.6951},  {0.0000, 0.7185},
    {0.0837, 0.6951},   {0.2080, 0.7020},   {0.3286, 0.7188},   {0.2142, 0.8676},
    {0.0920, 0.9354},   {0.0000, 0.9488},   {-0.0920, 0.9354},  {-0.2142, 0.8676},
    {-0.2804, 0.7372},  {-0.0862, 0.7612},  {0.0000, 0.7722},   {0.0862, 0.7612},
    {0.2804, 0.7372},   {0.0865, 0.8264},   {0.0000, 0.8346},   {-0.0865, 0.8264}};

// The head with its hair, as an ellipse in canonical units; the ring beside the jaw lies this
// far outside the outline.
constexpr core::Vec2 kHeadCentre{0.0, -0.25};
constexpr double kHeadRadiusX = 1.0;
constexpr double kHeadRadiusY = 1.2;
constexpr double kJawRingReach = 0.2;

// The landmark each derived point hangs on (its offset from it is fixed in canonical space).
int AnchorOf(int i) {
  if (i < kForeheadFirst) return i;
  if (i < kJawRingFirst) return 17 + (i - kForeheadFirst);
  if (i < kForeheadRingFirst) return i - kJawRingFirst;
  return kForeheadFirst + (i - kForeheadRingFirst);
}

MeshPoints MakeCanonical() {
  MeshPoints m{};
  for (int i = 0; i < 68; ++i) m[i] = {kCanonical68[i][0], kCanonical68[i][1]};
  for (int k = 0; k < 10; ++k) {  // an arc above the brows, lower toward the temples
    const core::Vec2 b = m[17 + k];
    m[kForeheadFirst + k] = {b.x, -0.72 + 0.35 * b.x * b.x};
  }
  for (int j = 0; j <= 16; ++j) {  // outward normal of the jaw line
    const core::Vec2 t = m[std::min(j + 1, 16)] - m[std::max(j - 1, 0)];
    core::Vec2 n{t.y, -t.x};
    n = (1.0 / std::sqrt(core::Norm2(n))) * n;
    if (n.x * m[j].x + n.y * (m[j].y - 0.3) < 0.0) n = -1.0 * n;
    m[kJawRingFirst + j] = m[j] + kJawRingReach * n;
  }
  // The forehead ring lies on an ellipse around the head (hair included), radially out from
  // its centre through each forehead point.
  for (int k = 0; k < 10; ++k) {
    const core::Vec2 f = m[kForeheadFirst + k];
    const core::Vec2 d = (1.0 / core::Distance(f, kHeadCentre)) * (f - kHeadCentre);
    const double t = 1.0 / std::sqrt(d.x * d.x / (kHeadRadiusX * kHeadRadiusX) +
                                     d.y * d.y / (kHeadRadiusY * kHeadRadiusY));
    m[kForeheadRingFirst + k] = kHeadCentre + t * d;
  }
  return m;
}

std::vector<uint16_t> Triangulate(const MeshPoints& m) {
  cv::Subdiv2D subdiv(cv::Rect(-4, -4, 8, 8));
  for (const core::Vec2& p : m) {
    subdiv.insert(cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y)));
  }
  std::vector<cv::Vec6f> triangles;
  subdiv.getTriangleList(triangles);
  std::vector<uint16_t> out;
  for (const cv::Vec6f& t : triangles) {
    int ids[3] = {-1, -1, -1};
    for (int v = 0; v < 3; ++v) {
      for (int i = 0; i < kMeshPoints; ++i) {
        if (static_cast<float>(m[i].x) == t[2 * v] && static_cast<float>(m[i].y) == t[2 * v + 1]) {
          ids[v] = i;
        }
      }
    }
    if (ids[0] < 0 || ids[1] < 0 || ids[2] < 0) continue;  // a corner of Subdiv2D's frame
    for (const int id : ids) out.push_back(static_cast<uint16_t>(id));
  }
  return out;
}

}  // namespace

const MeshPoints& CanonicalMesh() {
  static const MeshPoints kMesh = MakeCanonical();
  return kMesh;
}

const std::vector<uint16_t>& MeshTriangles() {
  static const std::vector<uint16_t> kTriangles = Triangulate(CanonicalMesh());
  return kTriangles;
}

FaceFrame FrameOf(const core::Face& face) {
  core::Vec2 left;
  core::Vec2 right;
  for (int i = 0; i < 6; ++i) {
    left = left + face.points[36 + i];
    right = right + face.points[42 + i];
  }
  left = (1.0 / 6.0) * left;
  right = (1.0 / 6.0) * right;
  FaceFrame f;
  f.origin = 0.5 * (left + right);
  const core::Vec2 d = right - left;
  const double n = std::sqrt(core::Norm2(d));
  f.x_axis = n > 0.0 ? (1.0 / n) * d : core::Vec2{1.0, 0.0};
  f.y_axis = {-f.x_axis.y, f.x_axis.x};
  f.scale = core::OuterEyeDistance(face);
  return f;
}

void FaceMeshPoints(const core::Face& face, MeshPoints& out) {
  const MeshPoints& canon = CanonicalMesh();
  const FaceFrame frame = FrameOf(face);
  for (int i = 0; i < 68; ++i) out[i] = face.points[i];
  for (int i = 68; i < kMeshPoints; ++i) {  // anchors come before the points hung on them
    const int a = AnchorOf(i);
    const core::Vec2 q = canon[i] - canon[a];
    out[i] = out[a] + frame.scale * (q.x * frame.x_axis + q.y * frame.y_axis);
  }
}

}  // namespace fw::looks
