// FaceAnalyzer on dlib: HOG detection on a small grey copy, the 68-point cascade on the full
// resolution grey image, and a plausibility check against face-like patterns. One thread per
// instance; clones share the model.
#include "tracking/face_analyzer.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "tracking/blazeface.h"
#include "tracking/face_shape.h"
#include "tracking/shape_model.h"

namespace fw::tracking {
namespace {

// Why a second look: dlib's HOG detector fires on round badges (the astronaut's mission patch
// scores 0.06-0.08, group1's shoulder patch 0.00-0.11) while real but tilted faces can score
// as little (group3's middle face: 0.01 at detect_width 640 and 1920), so no threshold on the
// detection score separates them. Nor do the landmarks: on a badge the predictor stays near
// its mean shape, which fits better than a turned real face does. Cutting the face out
// upright at its landmarks' scale and asking the detector again does separate them, because
// only a real face scores well once its roll and scale are undone (AlignedScore).
// Measured (DetectAll) on assets/*.png|jpg at detect_width 640, 960, 1280 and 1920 with
// upsample 0 and 1, and on the VOC photos of ../shared/data/test-only/dlib_voc_training at
// upsample 1 and 2 and at their 18 annotated boxes: badges at most 0.15 (mission patch;
// group1's patch at most -0.01), real faces at least 0.45 (the 45-pixel VOC face at 381,89),
// every group-photo face at least 0.93. Video at 640 wide, upsample 0 (every third frame):
// faces cut by the frame edge at least 0.60; the zoom clip's mission patch at most 0.30, but
// its chest badge 0.64 in one frame of 40, and with upsample 1 that 40-50 pixel badge passes
// in 9 of its 15 detections: for video, confirm new faces over several detections.
constexpr double kChipFaceSizes[] = {72.0, 80.0, 88.0, 96.0};  // around the 80-px window
constexpr double kChipScale = 2.0;     // chip width / face size: the detector needs context
constexpr double kNoDetection = -1.5;  // score when the detector finds nothing in the chip

constexpr int kNumChips = static_cast<int>(std::size(kChipFaceSizes));

// dlib's object_detector::operator()(image, detections, adjust_threshold) with the detector's
// filter banks (five views of a face) scanned side by side on OpenCV's worker pool. The
// feature pyramid, each bank's scan, the merge order and the non-max suppression are dlib's,
// so the detections are dlib's to the last bit; only the wall time shrinks.
class ParallelHogDetector {
 public:
  explicit ParallelHogDetector(const dlib::frontal_face_detector& detector)
      : detector_(detector), bank_dets_(detector_.num_detectors()) {
    scanner_.copy_configuration(detector_.get_scanner());
  }

  const dlib::frontal_face_detector& detector() const { return detector_; }

  template <class Image>
  void operator()(const Image& image, std::vector<dlib::rect_detection>& out,
                  double adjust_threshold) {
    scanner_.load(image);
    const long dims = scanner_.get_num_dimensions();
    const int banks = static_cast<int>(bank_dets_.size());
    cv::parallel_for_(
        cv::Range(0, banks),
        [&](const cv::Range& range) {
          for (int i = range.start; i < range.end; ++i) {
            const auto& w = detector_.get_processed_w(i);
            scanner_.detect(w.get_detect_argument(), bank_dets_[i], w.w(dims) + adjust_threshold);
          }
        },
        banks);
    merged_.clear();
    for (int i = 0; i < banks; ++i) {
      const double thresh = detector_.get_processed_w(i).w(dims);
      for (const auto& [score, rect] : bank_dets_[i]) {
        dlib::rect_detection det;
        det.detection_confidence = score - thresh;
        det.weight_index = static_cast<unsigned long>(i);
        det.rect = rect;
        merged_.push_back(det);
      }
    }
    out.clear();
    if (banks > 1) std::sort(merged_.rbegin(), merged_.rend());
    const dlib::test_box_overlap& overlaps = detector_.get_overlap_tester();
    for (const dlib::rect_detection& det : merged_) {
      const bool suppressed = std::any_of(
          out.begin(), out.end(), [&](const auto& kept) { return overlaps(kept.rect, det.rect); });
      if (!suppressed) out.push_back(det);
    }
  }

 private:
  dlib::frontal_face_detector detector_;
  dlib::frontal_face_detector::image_scanner_type scanner_;  // loaded with the current image
  std::vector<std::vector<std::pair<double, dlib::rectangle>>> bank_dets_;
  std::vector<dlib::rect_detection> merged_;
};

// BlazeFace's confidence for a face (MediaPipe's face_detection graphs use 0.5).
constexpr double kMinCnnScore = 0.5;
// Boxes (from the landmarks) overlapping this much are one face.
constexpr double kSameFaceIou = 0.5;

class DlibFaceAnalyzer : public FaceAnalyzer {
 public:
  DlibFaceAnalyzer(std::shared_ptr<const ShapeModel> model, std::unique_ptr<BlazeFace> cnn,
                   std::string notice)
      : model_(std::move(model)),
        cnn_(std::move(cnn)),
        notice_(std::move(notice)),
        detector_(dlib::get_frontal_face_detector()) {
    for (Chip& chip : chips_) chip.detector = detector_.detector();
  }

  std::unique_ptr<FaceAnalyzer> Clone() const override {
    return std::make_unique<DlibFaceAnalyzer>(model_, cnn_ ? cnn_->Clone() : nullptr, notice_);
  }

  const std::string& detector_notice() const override { return notice_; }
  bool has_cnn_detector() const override { return cnn_ != nullptr; }

  core::Faces Detect(const cv::Mat& image, const core::Params& params) override {
    core::Faces faces;
    for (const Detection& d : DetectAll(image, params)) {
      if (d.plausible) faces.push_back(d.face);
    }
    return faces;
  }

  core::Faces DetectFollowing(const cv::Mat& image, const core::Params& params,
                              const DetectHint& hint) override {
    if (image.empty() || !cnn_ || params.detector != 0.0) return Detect(image, params);
    core::Faces faces;
    for (const Detection& d : DetectCnn(image, params, &hint, false)) faces.push_back(d.face);
    return faces;
  }

  std::vector<core::Rect> DetectionTiles(cv::Size size, const core::Params& params) const override {
    if (!cnn_ || params.detector != 0.0) return {};
    return BlazeFace::Tiles(size, params.detect_width);
  }

  std::vector<Detection> DetectAll(const cv::Mat& image, const core::Params& params) override {
    if (image.empty()) return {};
    if (cnn_ && params.detector == 0.0) return DetectCnn(image, params, nullptr, true);
    return DetectHog(image, params);
  }

  // `landmarks` false: the faces' boxes only (their points left at zero), for a caller that
  // runs the predictor itself.
  std::vector<Detection> DetectCnn(const cv::Mat& image, const core::Params& params,
                                   const DetectHint* hint, bool landmarks) {
    std::vector<Detection> out;
    const cv::Mat* colour = &image;
    if (image.channels() == 1) {
      cv::cvtColor(image, colour_, cv::COLOR_GRAY2BGR);
      colour = &colour_;
    }
    const cv::Mat* grey = landmarks ? &GreyOf(image) : nullptr;
    for (const BlazeFaceDetection& d :
         cnn_->Detect(*colour, params.detect_width, kMinCnnScore, hint)) {
      Detection det;
      // On the box dlib's detector would have given (calibrated in blazeface.cpp).
      const core::Rect box = PredictorBox(d);
      if (grey != nullptr) {
        det.face = Landmarks(*grey, box);
      } else {
        det.face.box = box;
      }
      det.score = d.score;
      det.plausible = true;
      det.cnn = true;
      det.keypoints = d.keypoints;
      out.push_back(det);
    }
    // Two detections whose landmarks settled on one face (compared by the boxes their
    // landmarks imply, when they have them: a face found at two scales can come with boxes
    // that overlap little): the better scored stays.
    const auto settled = [&](const Detection& d) {
      return grey != nullptr ? BoxFromLandmarks(d.face) : d.face.box;
    };
    for (size_t i = 0; i < out.size(); ++i) {
      for (size_t j = i + 1; j < out.size(); ++j) {
        if (out[i].plausible && out[j].plausible &&
            core::Iou(settled(out[i]), settled(out[j])) > kSameFaceIou) {
          (out[i].score >= out[j].score ? out[j] : out[i]).plausible = false;
        }
      }
    }
    out.erase(
        std::remove_if(out.begin(), out.end(), [](const Detection& d) { return !d.plausible; }),
        out.end());
    std::stable_sort(out.begin(), out.end(), [](const Detection& a, const Detection& b) {
      return a.face.box.Area() > b.face.box.Area();
    });
    return out;
  }

  std::vector<Detection> DetectHog(const cv::Mat& image, const core::Params& params) {
    std::vector<Detection> out;
    const cv::Mat& grey = GreyOf(image);

    const cv::Mat* small = &grey;
    if (params.detect_width > 0.0 && params.detect_width < grey.cols) {
      const double scale = params.detect_width / grey.cols;
      const cv::Size size(std::max(1, static_cast<int>(std::lround(grey.cols * scale))),
                          std::max(1, static_cast<int>(std::lround(grey.rows * scale))));
      cv::resize(grey, small_, size, 0.0, 0.0, cv::INTER_AREA);
      small = &small_;
    }
    const double sx = static_cast<double>(small->cols) / grey.cols;
    const double sy = static_cast<double>(small->rows) / grey.rows;

    // dlib's own threshold (0): its score is calibrated there, and lower ones only add
    // candidates for the costlier second look.
    const dlib::cv_image<unsigned char> small_view(*small);
    detector_(small_view, dets_, 0.0);

    for (const dlib::rect_detection& det : dets_) {
      const dlib::drectangle r(det.rect);
      // Pixel i of the small image covers input pixels [i / s, (i + 1) / s), so the box's
      // first pixel and its width (dlib's inclusive right - left + 1) both scale by 1 / s.
      const core::Rect box{r.left() / sx, r.top() / sy, r.width() / sx, r.height() / sy};
      Detection d;
      d.face = Landmarks(grey, box);
      d.score = det.detection_confidence;
      d.aligned_score = AlignedScore(grey, d.face);
      d.plausible = d.aligned_score >= kMinAlignedScore;
      out.push_back(d);
    }
    std::stable_sort(out.begin(), out.end(), [](const Detection& a, const Detection& b) {
      return a.face.box.Area() > b.face.box.Area();
    });
    return out;
  }

  core::Face Landmarks(const cv::Mat& image, const core::Rect& box) override {
    core::Face face;
    face.box = box;
    model_->Predict(GreyOf(image), box, face.points);
    return face;
  }

  void LandmarksMany(const cv::Mat& image, const core::Rect* boxes, int n,
                     core::Face* out) override {
    thread_local std::vector<Shape> points;
    points.resize(static_cast<size_t>(n));
    model_->PredictMany(GreyOf(image), boxes, n, points.data());
    for (int i = 0; i < n; ++i) {
      out[i].box = boxes[i];
      out[i].points = points[static_cast<size_t>(i)];
    }
  }

  double AlignedScore(const cv::Mat& image, const core::Face& face) override {
    const cv::Mat& grey = GreyOf(image);
    const ShapeFit fit = FitMeanShape(face.points, model_->MeanShape());
    const core::Rect box = BoxFromFit(fit);
    if (!(box.w > 1.0)) return kNoDetection;
    // The best score near the chip's centre, averaged over a few sizes: a single size is at
    // the mercy of where the 8-pixel HOG grid happens to fall. The chips are independent, so
    // they run side by side, each with its own detector and buffers; the sum keeps its order.
    cv::parallel_for_(
        cv::Range(0, kNumChips),
        [&](const cv::Range& range) {
          for (int i = range.start; i < range.end; ++i) {
            chips_[i].best = ChipScore(grey, fit.angle, box, kChipFaceSizes[i], chips_[i]);
          }
        },
        kNumChips);
    double sum = 0.0;
    for (const Chip& chip : chips_) sum += chip.best;
    return sum / static_cast<double>(kNumChips);
  }

  core::Rect BoxFromLandmarks(const core::Face& face) const override {
    return BoxFromFit(FitMeanShape(face.points, model_->MeanShape()));
  }

 private:
  // What one chip size of AlignedScore needs to itself.
  struct Chip {
    dlib::frontal_face_detector detector;
    cv::Mat image;
    std::vector<dlib::rect_detection> dets;
    double best = kNoDetection;
  };

  // The face cut out upright with its box scaled to `size` pixels in the middle of a chip
  // kChipScale times as wide; the best detector score whose box overlaps that middle.
  static double ChipScore(const cv::Mat& grey, double angle, const core::Rect& box, double size,
                          Chip& chip) {
    const core::Vec2 centre = box.Centre();
    const int side = static_cast<int>(std::lround(kChipScale * size));
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2d(centre.x, centre.y), angle * 180.0 / CV_PI,
                                        size / box.w);
    m.at<double>(0, 2) += 0.5 * side - centre.x;
    m.at<double>(1, 2) += 0.5 * side - centre.y;
    // Mid-grey outside the frame: replicated edge pixels hide a face cut by the border.
    cv::warpAffine(grey, chip.image, m, cv::Size(side, side), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(128));
    chip.detector(dlib::cv_image<unsigned char>(chip.image), chip.dets, kNoDetection);
    const double lo = 0.5 * (side - size);
    const core::Rect expected{lo, lo, size, size};
    double best = kNoDetection;
    for (const dlib::rect_detection& det : chip.dets) {
      const core::Rect r{static_cast<double>(det.rect.left()), static_cast<double>(det.rect.top()),
                         static_cast<double>(det.rect.width()),
                         static_cast<double>(det.rect.height())};
      if (core::Iou(r, expected) > 0.3) best = std::max(best, det.detection_confidence);
    }
    return best;
  }

  const cv::Mat& GreyOf(const cv::Mat& image) {
    if (image.type() == CV_8UC1) return image;
    ToGrey(image, grey_);
    return grey_;
  }

  std::shared_ptr<const ShapeModel> model_;
  std::unique_ptr<BlazeFace> cnn_;  // null: HOG only
  std::string notice_;
  ParallelHogDetector detector_;
  // Per-frame buffers, kept so that steady-state frames reuse their memory.
  cv::Mat grey_;
  cv::Mat small_;
  cv::Mat colour_;
  std::vector<dlib::rect_detection> dets_;
  std::array<Chip, kNumChips> chips_;
};

}  // namespace

namespace {

// Written so that the compiler vectorises the row: the channel count is a constant and the
// width a local (a byte store may alias the Mat's own fields, which kept the loop scalar).
template <int kChannels>
void GreyRows(const cv::Mat& bgr, cv::Mat& grey) {
  const int cols = bgr.cols;
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* __restrict in = bgr.ptr<uint8_t>(y);
    uint8_t* __restrict out = grey.ptr<uint8_t>(y);
    for (int x = 0; x < cols; ++x) {
      const uint8_t* p = in + kChannels * x;
      out[x] = static_cast<uint8_t>((unsigned{p[0]} + p[1] + p[2]) / 3);
    }
  }
}

}  // namespace

void ToGrey(const cv::Mat& bgr, cv::Mat& grey) {
  CV_Assert(bgr.depth() == CV_8U && (bgr.channels() == 3 || bgr.channels() == 4));
  grey.create(bgr.size(), CV_8UC1);
  if (bgr.channels() == 3) {
    GreyRows<3>(bgr, grey);
  } else {
    GreyRows<4>(bgr, grey);
  }
}

core::Result<std::unique_ptr<FaceAnalyzer>> FaceAnalyzer::Create(
    const std::string& cli_model, const std::string& cli_detector_model) {
  FW_ASSIGN_OR_RETURN(const ModelLocation loc, LocateModel(cli_model));
  core::Result<std::unique_ptr<ShapeModel>> model = ShapeModel::Load(loc.path);
  if (!model.ok()) {
    std::string tried;
    for (const std::string& p : loc.tried) tried += (tried.empty() ? "" : ", ") + p;
    return core::Error::Runtime(
        "the face landmark model " + loc.path + " " + model.error().message + " (tried: " + tried +
        "); replace it with a good copy: install the Debian package libdlib-data "
        "(apt-get install libdlib-data) or download shape_predictor_68_face_landmarks.dat.bz2 "
        "from dlib.net and bunzip2 it");
  }
  FW_ASSIGN_OR_RETURN(const DetectorModelLocation det, LocateDetectorModel(cli_detector_model));
  std::unique_ptr<BlazeFace> cnn;
  std::string notice;
  if (!det.path.empty()) {
    core::Result<std::unique_ptr<BlazeFace>> loaded = BlazeFace::Load(det.path);
    if (!loaded.ok()) {
      return core::Error::Runtime("the face detector model " + loaded.error().message +
                                  " (tried: " + JoinPaths(det.tried) +
                                  "); run scripts/setup to install it, or see models/README.md");
    }
    cnn = std::move(loaded).value();
  } else {
    notice = "no BlazeFace face detector model found (tried: " + JoinPaths(det.tried) +
             "); using dlib's HOG detector, which misses turned and small faces "
             "(run scripts/setup to install the model)";
  }
  try {
    return std::unique_ptr<FaceAnalyzer>(
        new DlibFaceAnalyzer(std::move(model).value(), std::move(cnn), std::move(notice)));
  } catch (const std::exception& e) {
    return core::Error::Runtime(std::string("cannot set up dlib's face detector: ") + e.what());
  }
}

}  // namespace fw::tracking
