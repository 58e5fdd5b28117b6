// BlazeFace on OpenCV's dnn module: letterboxed NHWC input, SSD anchors decoded as MediaPipe's
// face_detection_back graph does, MediaPipe's weighted overlap merge.
#include "tracking/blazeface.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace fw::tracking {
namespace {

// The full-range model's input side, pixels.
constexpr int kInputSize = 256;
// The model ends in two SSD heads: 16x16 cells with 2 anchors and 8x8 cells with 6 anchors
// (MediaPipe's face_detection_back anchor options: 4 layers, strides 16/32/32/32 at 256, anchor
// offset 0.5, fixed anchor size, so every anchor is a cell centre). Outputs, in
// order: scores of head 1 and 2 (logits), then 16 values per anchor: box centre offset and
// size, then six keypoint offsets, all in input pixels.
constexpr int kCells1 = 16, kAnchors1 = 2;
constexpr int kCells2 = 8, kAnchors2 = 6;
constexpr int kNumAnchors = kCells1 * kCells1 * kAnchors1 + kCells2 * kCells2 * kAnchors2;  // 896
constexpr int kValues = 16;
constexpr double kMergeIou = 0.3;  // MediaPipe's min_suppression_threshold

// Frames at most this much larger than a tile are not tiled: the whole frame suffices.
constexpr double kTileSlack = 1.25;
// Tiles are the model's own input size: faces in them are seen at full scale, which finds
// them down to about 25 pixels (28-pixel VOC faces score 0.84).
constexpr int kTileSide = kInputSize;
// Neighbouring tiles overlap by this fraction of a tile, more than the largest face a tile
// must find on its own (larger ones are found on the whole frame).
constexpr double kTileOverlap = 0.25;
// Faces a tile may report: at most this fraction of its side, and at least this many box
// widths from an edge it shares with another tile.
constexpr double kTileMaxFace = 0.2;
constexpr double kTileEdge = 0.25;
// Tiles show the model faces at up to 5x the whole frame's scale, where face-like patterns
// score higher too: group1's shoulder patch 0.50 in a 512-pixel tile, two 10-16 pixel spots
// of group3 0.52-0.53 in 256-pixel tiles, the zoom clip's collar 0.68 and backdrop 0.65; the
// faces only tiles find score at least 0.84 there (28-pixel VOC faces).
constexpr double kTileMinScore = 0.8;
// A face followed needs its tiles on every detection (DetectHint) when its predictor box is at
// most this many tile sides wide (scaled frame): the largest face a tile keeps (kTileMaxFace),
// with room for the predictor box being larger than BlazeFace's (1.08 times) and for the face
// growing. Larger faces are the whole frame's to find: a tile would drop them anyway.
constexpr double kTileFollowMax = 1.2 * kTileMaxFace;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-std::clamp(x, -100.0, 100.0))); }

core::Result<std::vector<char>> ReadBytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return core::Error::Runtime(path + " does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::Error::Runtime(path + " is not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error::Runtime(path + " cannot be read");
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.eof() && in.fail()) return core::Error::Runtime(path + " cannot be read");
  if (bytes.empty()) return core::Error::Runtime(path + " is empty");
  return bytes;
}

// cv::dnn reports a bad file through its logger as well as by exception: the caller gives
// the one error line, so the logger is silenced while a model is read.
class QuietLog {
 public:
  QuietLog() : level_(cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT)) {}
  ~QuietLog() { cv::utils::logging::setLogLevel(level_); }

 private:
  cv::utils::logging::LogLevel level_;
};

}  // namespace

struct BlazeFace::Nets {
  std::vector<char> bytes;
  cv::dnn::Net net;
  std::vector<cv::String> outputs;
};

namespace {

// A network from ONNX bytes whose outputs have BlazeFace's shapes, or an error.
core::Result<cv::dnn::Net> MakeNet(const std::vector<char>& bytes, int size,
                                   std::vector<cv::String>& outputs) {
  try {
    QuietLog quiet;
    cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    outputs = net.getUnconnectedOutLayersNames();
    if (net.empty() || outputs.size() != 4) {
      return core::Error::Runtime("is not a BlazeFace model (expected 4 outputs)");
    }
    const int shape[] = {1, size, size, 3};
    net.setInput(cv::Mat(4, shape, CV_32F, cv::Scalar(0.0)));
    std::vector<cv::Mat> outs;
    net.forward(outs, outputs);
    const int counts[] = {kCells1 * kCells1 * kAnchors1, kCells2 * kCells2 * kAnchors2};
    for (int i = 0; i < 4; ++i) {
      if (static_cast<int>(outs[i].total()) != counts[i % 2] * (i < 2 ? 1 : kValues)) {
        return core::Error::Runtime("is not a " + std::to_string(size) + "x" +
                                    std::to_string(size) + " BlazeFace model");
      }
    }
    return net;
  } catch (const cv::Exception&) {
    return core::Error::Runtime("is not a readable ONNX model (truncated or another format)");
  }
}

}  // namespace

core::Result<std::unique_ptr<BlazeFace>> BlazeFace::Load(const std::string& path) {
  auto nets = std::make_unique<Nets>();
  FW_ASSIGN_OR_RETURN(nets->bytes, ReadBytes(path));
  core::Result<cv::dnn::Net> net = MakeNet(nets->bytes, kInputSize, nets->outputs);
  if (!net.ok()) return core::Error::Runtime(path + " " + net.error().message);
  nets->net = std::move(net).value();
  return std::unique_ptr<BlazeFace>(new BlazeFace(std::move(nets)));
}

BlazeFace::BlazeFace(std::unique_ptr<Nets> nets) : nets_(std::move(nets)) {}
BlazeFace::~BlazeFace() = default;

std::unique_ptr<BlazeFace> BlazeFace::Clone() const {
  auto nets = std::make_unique<Nets>();
  nets->bytes = nets_->bytes;
  // The bytes loaded once already: this cannot fail short of memory.
  nets->net = MakeNet(nets->bytes, kInputSize, nets->outputs).value();
  return std::unique_ptr<BlazeFace>(new BlazeFace(std::move(nets)));
}

void BlazeFace::Run(const cv::Mat& bgr, const cv::Rect& region, double min_score,
                    std::vector<BlazeFaceDetection>& out) {
  const int size = kInputSize;
  cv::dnn::Net& net = nets_->net;
  // Letterboxed: the region scaled to fit, centred, black (-1) around it.
  const double scale = static_cast<double>(size) / std::max(region.width, region.height);
  const cv::Size fit(std::clamp(static_cast<int>(std::lround(region.width * scale)), 1, size),
                     std::clamp(static_cast<int>(std::lround(region.height * scale)), 1, size));
  const int ox = (size - fit.width) / 2, oy = (size - fit.height) / 2;
  canvas_.create(size, size, CV_8UC3);
  canvas_.setTo(cv::Scalar::all(0));
  cv::Mat inner = canvas_(cv::Rect(ox, oy, fit.width, fit.height));
  cv::Mat src = bgr(region);
  if (src.channels() == 4) {
    cv::Mat bgr3;
    cv::cvtColor(src, bgr3, cv::COLOR_BGRA2BGR);
    cv::resize(bgr3, inner, fit, 0.0, 0.0, cv::INTER_AREA);
  } else {
    cv::resize(src, inner, fit, 0.0, 0.0, cv::INTER_AREA);
  }
  cv::cvtColor(canvas_, canvas_, cv::COLOR_BGR2RGB);
  const int shape[] = {1, size, size, 3};
  input_.create(4, shape, CV_32F);
  cv::Mat view(size, size, CV_32FC3, input_.ptr<float>());
  canvas_.convertTo(view, CV_32FC3, 2.0 / 255.0, -1.0);
  net.setInput(input_);
  net.forward(outs_, nets_->outputs);

  const auto to_image = [&](double u, double v) {
    return core::Vec2{(u - ox) / scale + region.x, (v - oy) / scale + region.y};
  };
  for (int head = 0; head < 2; ++head) {
    const int cells = head == 0 ? kCells1 : kCells2;
    const int anchors = head == 0 ? kAnchors1 : kAnchors2;
    const float* scores = outs_[head].ptr<float>();
    const float* values = outs_[head + 2].ptr<float>();
    for (int i = 0; i < cells * cells * anchors; ++i) {
      const double s = Sigmoid(scores[i]);
      if (s < min_score) continue;
      const int cell = i / anchors;
      const double ax = ((cell % cells) + 0.5) * size / cells;
      const int row = cell / cells;
      const double ay = (row + 0.5) * size / cells;
      const float* v = values + static_cast<ptrdiff_t>(i) * kValues;
      BlazeFaceDetection d;
      d.score = s;
      const core::Vec2 c = to_image(ax + v[0], ay + v[1]);
      const double w = v[2] / scale, h = v[3] / scale;
      d.box = core::Rect{c.x - 0.5 * w, c.y - 0.5 * h, w, h};
      for (int k = 0; k < 6; ++k) d.keypoints[k] = to_image(ax + v[4 + 2 * k], ay + v[5 + 2 * k]);
      out.push_back(d);
    }
  }
}

namespace {

// The scale a frame of `width` pixels is detected at.
double DetectScale(int width, double max_width) {
  return max_width > 0.0 && max_width < width ? max_width / width : 1.0;
}

// Evenly spread tiles from edge to edge of a (scaled) frame of `size`, overlapping by at least
// kTileOverlap; none when the whole frame suffices.
std::vector<cv::Rect> TileRects(cv::Size size) {
  const int side = kTileSide;
  if (std::max(size.width, size.height) <= kTileSlack * side) return {};
  const auto starts = [side](int length) {
    std::vector<int> at{0};
    if (length <= side) return at;
    const double step = (1.0 - kTileOverlap) * side;
    const int n = static_cast<int>(std::ceil((length - side) / step)) + 1;
    for (int i = 1; i < n; ++i) {
      at.push_back(
          static_cast<int>(std::lround(static_cast<double>(i) * (length - side) / (n - 1))));
    }
    return at;
  };
  const cv::Rect whole(0, 0, size.width, size.height);
  std::vector<cv::Rect> tiles;
  for (int y : starts(size.height)) {
    for (int x : starts(size.width)) tiles.push_back(cv::Rect(x, y, side, side) & whole);
  }
  return tiles;
}

cv::Size ScaledSize(cv::Size size, double s) {
  if (s == 1.0) return size;
  return cv::Size(std::max(1, static_cast<int>(std::lround(size.width * s))),
                  std::max(1, static_cast<int>(std::lround(size.height * s))));
}

}  // namespace

std::vector<core::Rect> BlazeFace::Tiles(cv::Size size, double max_width) {
  const double s = DetectScale(size.width, max_width);
  std::vector<core::Rect> out;
  for (const cv::Rect& r : TileRects(ScaledSize(size, s))) {
    out.push_back(core::Rect{r.x / s, r.y / s, r.width / s, r.height / s});
  }
  return out;
}

std::vector<BlazeFaceDetection> BlazeFace::Detect(const cv::Mat& frame, double max_width,
                                                  double min_score, const DetectHint* hint) {
  raw_.clear();
  if (frame.empty()) return {};
  const double s = DetectScale(frame.cols, max_width);
  const cv::Mat* src = &frame;
  if (s != 1.0) {
    cv::resize(frame, small_, ScaledSize(frame.size(), s), 0.0, 0.0, cv::INTER_AREA);
    src = &small_;
  }
  const cv::Mat& bgr = *src;
  const int side = kTileSide;
  const cv::Rect whole(0, 0, bgr.cols, bgr.rows);
  const std::vector<cv::Rect> tiles = TileRects(bgr.size());
  // A followed face too large for the tiles is the whole frame's to find.
  const auto small_face = [&](const core::Rect& f) { return s * f.w <= kTileFollowMax * side; };
  const bool run_whole = hint == nullptr || hint->whole || tiles.empty() ||
                         std::any_of(hint->faces.begin(), hint->faces.end(),
                                     [&](const core::Rect& f) { return !small_face(f); });
  if (run_whole) Run(bgr, whole, min_score, raw_);
  // The tiles a hint asks for: those it lists, and those holding a small face followed.
  const auto wanted = [&](const cv::Rect& r, int index) {
    if (hint == nullptr ||
        std::find(hint->tiles.begin(), hint->tiles.end(), index) != hint->tiles.end()) {
      return true;
    }
    return std::any_of(hint->faces.begin(), hint->faces.end(), [&](const core::Rect& f) {
      const core::Vec2 c = s * f.Centre();
      return small_face(f) && c.x >= r.x && c.y >= r.y && c.x < r.x + r.width &&
             c.y < r.y + r.height;
    });
  };
  // Runs tile `r` of `image` (a level of the frame, `k` times its size) and keeps the small
  // faces well inside it, in the frame's pixels: larger ones are for the whole frame or a
  // coarser level to find, and a face cut by the tile's edge gives a partial, misplaced box.
  size_t level_first = 0;  // raw_'s detections of the finer levels end here
  const auto run_tile = [&](const cv::Mat& image, const cv::Rect& r, double k) {
    const size_t first = raw_.size();
    Run(image, r, std::max(min_score, kTileMinScore), raw_);
    const auto inside = [&](const BlazeFaceDetection& d) {
      const double m = kTileEdge * d.box.w;
      const bool cut = (d.box.x - m < r.x && r.x > 0) || (d.box.y - m < r.y && r.y > 0) ||
                       (d.box.x + d.box.w + m > r.x + r.width && r.x + r.width < image.cols) ||
                       (d.box.y + d.box.h + m > r.y + r.height && r.y + r.height < image.rows);
      return !cut && d.box.w <= kTileMaxFace * side;
    };
    raw_.erase(std::remove_if(raw_.begin() + static_cast<ptrdiff_t>(first), raw_.end(),
                              [&](const BlazeFaceDetection& d) { return !inside(d); }),
               raw_.end());
    if (k == 1.0) return;
    for (auto d = raw_.begin() + static_cast<ptrdiff_t>(first); d != raw_.end(); ++d) {
      d->box = core::Rect{d->box.x / k, d->box.y / k, d->box.w / k, d->box.h / k};
      for (core::Vec2& p : d->keypoints) p = (1.0 / k) * p;
    }
    // A coarser level only adds faces: one the frame's own tiles or the whole frame found
    // keeps their box (merging boxes of two scales would move it).
    const auto found_before = [&](const BlazeFaceDetection& d) {
      return std::any_of(
          raw_.begin(), raw_.begin() + static_cast<ptrdiff_t>(level_first),
          [&](const BlazeFaceDetection& e) { return core::Iou(d.box, e.box) >= kMergeIou; });
    };
    raw_.erase(
        std::remove_if(raw_.begin() + static_cast<ptrdiff_t>(first), raw_.end(), found_before),
        raw_.end());
  };
  for (int index = 0; index < static_cast<int>(tiles.size()); ++index) {
    if (wanted(tiles[index], index)) run_tile(bgr, tiles[index], 1.0);
  }
  // A full search (a photo, a clip's first frame) also tiles the frame halved, quartered...
  // while it is larger than a tile: the tiles find faces up to kTileMaxFace of a tile, the
  // whole frame those above about 13 pixels of its 256, and on a frame over about 1000 pixels
  // wide the faces between would be left to neither.
  if (hint == nullptr) {
    cv::Mat level = bgr;
    for (double k = 0.5; !TileRects(level.size()).empty(); k *= 0.5) {
      level_first = raw_.size();
      cv::resize(bgr, level_, ScaledSize(bgr.size(), k), 0.0, 0.0, cv::INTER_AREA);
      level = level_;
      for (const cv::Rect& r : TileRects(level.size())) run_tile(level, r, k);
    }
  }
  std::vector<BlazeFaceDetection> out = WeightedMerge(raw_, kMergeIou);
  if (s != 1.0) {
    const double k = 1.0 / s;
    for (BlazeFaceDetection& d : out) {
      d.box = core::Rect{d.box.x * k, d.box.y * k, d.box.w * k, d.box.h * k};
      for (core::Vec2& p : d.keypoints) p = k * p;
    }
  }
  return out;
}

std::vector<BlazeFaceDetection> WeightedMerge(std::vector<BlazeFaceDetection> dets, double iou) {
  std::stable_sort(dets.begin(), dets.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  std::vector<BlazeFaceDetection> out;
  std::vector<bool> taken(dets.size(), false);
  for (size_t i = 0; i < dets.size(); ++i) {
    if (taken[i]) continue;
    BlazeFaceDetection sum;
    double weight = 0.0;
    core::Vec2 c0, c1;
    for (size_t j = i; j < dets.size(); ++j) {
      if (taken[j] || (j != i && core::Iou(dets[i].box, dets[j].box) < iou)) continue;
      taken[j] = true;
      const double w = dets[j].score;
      weight += w;
      c0 = c0 + w * core::Vec2{dets[j].box.x, dets[j].box.y};
      c1 = c1 + w * core::Vec2{dets[j].box.x + dets[j].box.w, dets[j].box.y + dets[j].box.h};
      for (int k = 0; k < 6; ++k) sum.keypoints[k] = sum.keypoints[k] + w * dets[j].keypoints[k];
    }
    c0 = (1.0 / weight) * c0;
    c1 = (1.0 / weight) * c1;
    sum.box = core::Rect{c0.x, c0.y, c1.x - c0.x, c1.y - c0.y};
    for (auto& k : sum.keypoints) k = (1.0 / weight) * k;
    sum.score = dets[i].score;
    out.push_back(sum);
  }
  return out;
}

}  // namespace fw::tracking

namespace fw::tracking {

core::Rect PredictorBox(const BlazeFaceDetection& d) {
  // Fitted on the 34 faces of assets/*.jpg|png and ../shared/data/test-only/dlib_voc_training
  // that both detectors found (BlazeFace on 256-pixel tiles, dlib's HOG at upsample 1): dlib's
  // box is 1.077 BlazeFace boxes wide (sd 0.11), and its centre lies 0.175 of its width below
  // the eyes' midpoint, square to the eye line (sd 0.051), and 0.005 along it (sd 0.031).
  // Placed from BlazeFace's own box centre instead, the spread along the eye line is 0.116:
  // on a turned head that box slides toward the ear, dlib's stays on the eyes.
  constexpr double kWidth = 1.077, kAlong = -0.005, kDown = 0.175;
  const core::Vec2 l = d.keypoints[bf::kLeftEye], r = d.keypoints[bf::kRightEye];
  const core::Vec2 eyes = 0.5 * (l + r);
  const double n = std::max(core::Distance(l, r), 1e-6);
  const core::Vec2 u = (1.0 / n) * (r - l);
  const core::Vec2 v{-u.y, u.x};  // square to the eye line, toward the mouth
  const double w = kWidth * d.box.w;
  const core::Vec2 c = eyes + (kAlong * w) * u + (kDown * w) * v;
  return core::Rect{c.x - 0.5 * w, c.y - 0.5 * w, w, w};
}

}  // namespace fw::tracking
