#include "output/frame_fit.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/fit.h"

namespace fw::output {
namespace {

void FillBlack(cv::Mat& canvas, const cv::Rect& rect) {
  if (rect.area() > 0) canvas(rect).setTo(cv::Scalar::all(0));
}

}  // namespace

FitPlan PlanFit(cv::Size input, cv::Size output, FitMode mode) {
  const double sx = static_cast<double>(output.width) / input.width;
  const double sy = static_cast<double>(output.height) / input.height;
  if (mode == FitMode::kLetterbox) {
    const core::PixelRect r =
        core::FitInside(input.width, input.height, output.width, output.height, true);
    return {cv::Rect(cv::Point(0, 0), input), cv::Rect(r.x, r.y, r.width, r.height)};
  }
  const double scale = std::max(sx, sy);
  const int w = std::clamp(static_cast<int>(std::lround(output.width / scale)), 1, input.width);
  const int h = std::clamp(static_cast<int>(std::lround(output.height / scale)), 1, input.height);
  return {cv::Rect((input.width - w) / 2, (input.height - h) / 2, w, h),
          cv::Rect(cv::Point(0, 0), output)};
}

void FitInto(const cv::Mat& input, cv::Size output, FitMode mode, cv::Mat& canvas) {
  canvas.create(output, CV_8UC3);
  const FitPlan plan = PlanFit(input.size(), output, mode);
  const cv::Rect& t = plan.target;
  FillBlack(canvas, cv::Rect(0, 0, output.width, t.y));
  FillBlack(canvas, cv::Rect(0, t.br().y, output.width, output.height - t.br().y));
  FillBlack(canvas, cv::Rect(0, t.y, t.x, t.height));
  FillBlack(canvas, cv::Rect(t.br().x, t.y, output.width - t.br().x, t.height));

  const cv::Mat source = input(plan.source);
  cv::Mat target = canvas(t);  // a view: resize() fills it in place, the sizes already match
  if (source.size() == t.size()) {
    source.copyTo(target);
    return;
  }
  const bool shrinking = t.area() < source.size().area();
  cv::resize(source, target, t.size(), 0.0, 0.0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
}

}  // namespace fw::output
