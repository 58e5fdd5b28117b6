// Inputs of the microbenchmarks: real frames and faces from assets/ and tests/data/, made
// once per process and shared by every benchmark. Main thread only.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "core/face.h"
#include "core/params.h"
#include "tracking/face_analyzer.h"
#include "warp/warp_plan.h"

namespace fw::bench {

struct FaceFrame {
  cv::Mat image;  // 8-bit BGR
  core::Faces faces;
};

// The astronaut (tests/data/landmarks_astronaut.json), 512x512, one face.
const FaceFrame& Astronaut512();
// The astronaut scaled to 720 rows and centred on black 1280x720, with the fixture's landmarks
// mapped the same way: the frames of the one-face 720p clip that scripts/bench makes.
const FaceFrame& OneFace720p();
// assets/group6.jpg (tests/data/landmarks_group6.json, four faces) fitted to 1280x720 the same way.
const FaceFrame& FourFaces720p();
// Frame 0 of assets/group3_pan_1280x720.mp4 with the faces the analyzer finds on it (three).
const FaceFrame& Group3Frame();

// The dlib analyzer with the installed model; throws std::runtime_error without one.
tracking::FaceAnalyzer& Analyzer();

// DESIGN's benchmark setting: thin and eyes on, at the parameter table's defaults.
core::Params DefaultParams();
// The seed's geometry: thin = 1, thin_radius = 1, eyes off.
core::Params SeedParams();
// DefaultParams with age and skin_smooth at 1 (looks_bench.cpp).
core::Params LooksParams();
warp::WarpPlan PlanFor(const FaceFrame& frame, const core::Params& params);

}  // namespace fw::bench
