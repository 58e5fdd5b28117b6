// Benchmark inputs, made on first use.
#include "bench/bench_inputs.h"

#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <stdexcept>

#include "unit/test_faces.h"
#include "unit/warp_test_params.h"

namespace fw::bench {

namespace {

FaceFrame FromFixture(const std::string& name) {
  test::FaceImage loaded = test::LoadFaceImage(name);
  return {loaded.image, loaded.faces};
}

// Same geometry as scripts/bench's `scale=-2:720,pad=1280:720:(ow-iw)/2:0`.
// src scaled to 720 rows and centred on black 1280x720, its landmarks mapped the same way.
FaceFrame Fit720p(const FaceFrame& src) {
  const double scale = 720.0 / src.image.rows;
  const int width = static_cast<int>(std::lround(src.image.cols * scale));
  const int left = (1280 - width) / 2;
  FaceFrame out;
  out.image = cv::Mat::zeros(720, 1280, CV_8UC3);
  cv::resize(src.image, out.image(cv::Rect(left, 0, width, 720)), cv::Size(width, 720), 0.0, 0.0,
             cv::INTER_LINEAR);
  // Pixel centres at integers: x' = (x + 0.5) * scale - 0.5.
  const auto map = [&](core::Vec2 p) {
    return core::Vec2{(p.x + 0.5) * scale - 0.5 + left, (p.y + 0.5) * scale - 0.5};
  };
  for (core::Face face : src.faces) {
    for (core::Vec2& p : face.points) p = map(p);
    face.box = {face.box.x * scale + left, face.box.y * scale, face.box.w * scale,
                face.box.h * scale};
    out.faces.push_back(face);
  }
  return out;
}

FaceFrame MakeGroup3Frame() {
  const std::string path = test::SourceDir() + "/assets/group3_pan_1280x720.mp4";
  cv::VideoCapture capture(path, cv::CAP_FFMPEG);
  FaceFrame out;
  if (!capture.read(out.image) || out.image.empty()) {
    throw std::runtime_error("cannot decode " + path);
  }
  out.faces = Analyzer().Detect(out.image, DefaultParams());
  return out;
}

}  // namespace

const FaceFrame& Astronaut512() {
  static const FaceFrame frame = FromFixture("astronaut");
  return frame;
}

const FaceFrame& OneFace720p() {
  static const FaceFrame frame = Fit720p(Astronaut512());
  return frame;
}

const FaceFrame& FourFaces720p() {
  static const FaceFrame frame = Fit720p(FromFixture("group6"));
  return frame;
}

const FaceFrame& Group3Frame() {
  static const FaceFrame frame = MakeGroup3Frame();
  return frame;
}

tracking::FaceAnalyzer& Analyzer() {
  static const std::unique_ptr<tracking::FaceAnalyzer> analyzer = [] {
    auto created = tracking::FaceAnalyzer::Create("");
    if (!created.ok()) throw std::runtime_error(created.error().message);
    return std::move(created).value();
  }();
  return *analyzer;
}

core::Params DefaultParams() { return core::DefaultParams(); }

core::Params SeedParams() {
  core::Params p = core::DefaultParams();
  p.thin = 1.0;
  p.thin_radius = 1.0;
  p.eyes = 0.0;
  return p;
}

warp::WarpPlan PlanFor(const FaceFrame& frame, const core::Params& params) {
  return test::Plan(frame.faces, params);
}

}  // namespace fw::bench
