#include "tracking/landmark_flow.h"

#include <algorithm>
#include <opencv2/video/tracking.hpp>

namespace fw::tracking {

namespace {

// Pyramidal Lucas-Kanade, checked forwards-backwards. A point is followed when it comes back
// within this fraction of the eye distance; the face's motion holds when at least
// kMinFollowed of its points are.
constexpr int kFlowWindow = 15;
constexpr int kFlowLevels = 3;
constexpr double kMaxFlowError = 0.04;
constexpr double kMinFollowed = 0.5;

float Median(std::vector<float>& v) {
  const auto mid = v.begin() + static_cast<ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

void BuildFlowPyramid(const cv::Mat& grey, std::vector<cv::Mat>& pyramid) {
  cv::buildOpticalFlowPyramid(grey, pyramid, cv::Size(kFlowWindow, kFlowWindow), kFlowLevels, true,
                              cv::BORDER_REFLECT_101, cv::BORDER_CONSTANT, false);
}

bool FollowLandmarks(const std::vector<cv::Mat>& previous, const std::vector<cv::Mat>& next,
                     const core::Face& face, core::Rect& box, LandmarkFlow& flow) {
  flow.from.clear();
  for (const core::Vec2& p : face.points) {
    flow.from.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  }
  const cv::Size window(kFlowWindow, kFlowWindow);
  const cv::TermCriteria stop(cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 20, 0.03);
  cv::calcOpticalFlowPyrLK(previous, next, flow.from, flow.to, flow.status, flow.err, window,
                           kFlowLevels, stop);
  flow.back = flow.from;
  cv::calcOpticalFlowPyrLK(next, previous, flow.to, flow.back, flow.back_status, flow.err, window,
                           kFlowLevels, stop, cv::OPTFLOW_USE_INITIAL_FLOW);
  const double limit = kMaxFlowError * std::max(core::OuterEyeDistance(face), 1.0);
  cv::Point2f c0(0, 0), c1(0, 0);
  int n = 0;
  for (size_t i = 0; i < flow.from.size(); ++i) {
    const cv::Point2f d = flow.back[i] - flow.from[i];
    const bool ok = flow.status[i] && flow.back_status[i] && d.dot(d) <= limit * limit;
    flow.status[i] = ok;
    if (!ok) continue;
    c0 += flow.from[i];
    c1 += flow.to[i];
    ++n;
  }
  if (n < kMinFollowed * static_cast<double>(flow.from.size())) return false;
  c0 *= 1.0f / n;
  c1 *= 1.0f / n;
  flow.dx.clear();
  flow.dy.clear();
  flow.ratio.clear();
  for (size_t i = 0; i < flow.from.size(); ++i) {
    if (!flow.status[i]) continue;
    flow.dx.push_back(flow.to[i].x - flow.from[i].x);
    flow.dy.push_back(flow.to[i].y - flow.from[i].y);
    const double r0 = cv::norm(flow.from[i] - c0);
    if (r0 > 1.0) flow.ratio.push_back(static_cast<float>(cv::norm(flow.to[i] - c1) / r0));
  }
  const double dx = Median(flow.dx), dy = Median(flow.dy);
  const double s = flow.ratio.empty() ? 1.0 : std::clamp<double>(Median(flow.ratio), 0.8, 1.25);
  // Where each landmark went: its own flow where that was followed, else the face's motion.
  for (size_t i = 0; i < flow.from.size(); ++i) {
    if (!flow.status[i]) {
      const cv::Point2f r = flow.from[i] - c0;
      flow.to[i] = c0 + cv::Point2f(static_cast<float>(dx), static_cast<float>(dy)) +
                   static_cast<float>(s) * r;
    }
  }
  // The box scales about the points' centre and moves with their median motion.
  const core::Vec2 c{c0.x, c0.y};
  const core::Vec2 centre = box.Centre();
  const core::Vec2 moved = c + core::Vec2{dx, dy} + s * (centre - c);
  const double w = s * box.w, h = s * box.h;
  box = core::Rect{moved.x - 0.5 * w, moved.y - 0.5 * h, w, h};
  return true;
}

}  // namespace fw::tracking
