// dlib's shape_predictor file read member by member, as dlib::deserialize(shape_predictor&)
// does, then checked so that a file that happens to parse cannot index out of bounds later.
#include "tracking/shape_model.h"

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

namespace fw::tracking {
namespace {

using dlib::impl::regression_tree;
using Deltas = std::vector<dlib::vector<float, 2>>;

// dlib's own error texts span several lines; the caller's error must stay on one.
std::string OneLine(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    const bool ws = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Bounds on the cascade's dimensions (dlib's 68-point model: 15 levels of 500 trees of depth
// 4, 500 feature pixels per level), far above any real model.
constexpr unsigned long kMaxLevels = 1000;
constexpr unsigned long kMaxTrees = 100000;
constexpr unsigned long kMaxNodes = 1UL << 16;
constexpr unsigned long kMaxFeatures = 1UL << 20;

// dlib's std::vector format (a length, then the items), with the length checked before
// anything is allocated: one corrupt length field must fail the load, not ask for gigabytes.
template <class T, class ReadItem>
void ReadVector(std::istream& in, unsigned long max_size, std::vector<T>& items,
                ReadItem read_item) {
  unsigned long size = 0;
  dlib::deserialize(size, in);
  if (size > max_size) {
    throw dlib::serialization_error("implausible length " + std::to_string(size));
  }
  items.resize(size);
  for (T& item : items) read_item(item);
}

class DlibShapeModel : public ShapeModel {
 public:
  const Shape& MeanShape() const override { return mean_; }

  void Predict(const cv::Mat& grey, const core::Rect& box, Shape& points) override {
    // Whole-pixel width and height, independent of the box's position, so that a box that
    // moves by a fraction of a pixel does not change the face's scale.
    const long left = std::lround(box.x);
    const long top = std::lround(box.y);
    const long width = std::max(1L, std::lround(box.w));
    const long height = std::max(1L, std::lround(box.h));
    const dlib::rectangle rect(left, top, left + width - 1, top + height - 1);
    const dlib::cv_image<unsigned char> img(grey);

    // The loop of dlib::shape_predictor::operator(), minus the final rounding to dlib::point.
    dlib::matrix<float, 0, 1> shape = initial_shape_;
    for (size_t level = 0; level < forests_.size(); ++level) {
      dlib::impl::extract_feature_pixel_values(img, rect, shape, initial_shape_, anchor_idx_[level],
                                               deltas_[level], features_);
      unsigned long leaf = 0;
      for (const regression_tree& tree : forests_[level]) shape += tree(features_, leaf);
    }
    const dlib::point_transform_affine to_image = dlib::impl::unnormalizing_tform(rect);
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      const dlib::dpoint p = to_image(dlib::impl::location(shape, i));
      points[i] = {p.x(), p.y()};
    }
  }

  // Reads the members from a dlib model stream; returns the reason it is unusable, or "".
  std::string ReadFrom(std::istream& in) {
    // dlib throws serialization_error at the end of a truncated file, std::bad_alloc may
    // follow a garbage matrix size; none of it may escape.
    try {
      int version = 0;
      dlib::deserialize(version, in);
      if (version != 1) {
        return "is not a dlib shape predictor (format version " + std::to_string(version) + ")";
      }
      dlib::deserialize(initial_shape_, in);
      ReadVector(in, kMaxLevels, forests_, [&](std::vector<regression_tree>& forest) {
        ReadVector(in, kMaxTrees, forest, [&](regression_tree& tree) {
          ReadVector(in, kMaxNodes, tree.splits,
                     [&](dlib::impl::split_feature& split) { deserialize(split, in); });
          ReadVector(in, kMaxNodes, tree.leaf_values,
                     [&](dlib::matrix<float, 0, 1>& leaf) { dlib::deserialize(leaf, in); });
        });
      });
      ReadVector(in, kMaxLevels, anchor_idx_, [&](std::vector<unsigned long>& anchors) {
        ReadVector(in, kMaxFeatures, anchors, [&](unsigned long& a) { dlib::deserialize(a, in); });
      });
      ReadVector(in, kMaxLevels, deltas_, [&](Deltas& deltas) {
        ReadVector(in, kMaxFeatures, deltas,
                   [&](dlib::vector<float, 2>& d) { dlib::deserialize(d, in); });
      });
    } catch (const std::exception& e) {
      return "is truncated or corrupt (" + OneLine(e.what()) + ")";
    } catch (...) {
      return "is truncated or corrupt";
    }
    const std::string problem = Validate();
    return problem.empty() ? "" : "is corrupt or the wrong model: " + problem;
  }

 private:
  // Empty string when the members read form a usable 68-point cascade.
  std::string Validate() {
    if (initial_shape_.size() != 2 * core::kNumLandmarks) {
      return "a " + std::to_string(initial_shape_.size() / 2) +
             "-point model, not the 68-point one";
    }
    if (forests_.empty() || anchor_idx_.size() != forests_.size() ||
        deltas_.size() != forests_.size()) {
      return "inconsistent cascade sizes";
    }
    for (size_t level = 0; level < forests_.size(); ++level) {
      const size_t num_features = deltas_[level].size();
      if (num_features == 0 || anchor_idx_[level].size() != num_features) {
        return "inconsistent feature pixel tables";
      }
      for (unsigned long anchor : anchor_idx_[level]) {
        if (anchor >= static_cast<unsigned long>(core::kNumLandmarks)) return "bad anchor index";
      }
      for (const regression_tree& tree : forests_[level]) {
        if (tree.leaf_values.size() != tree.splits.size() + 1) return "malformed tree";
        for (const auto& split : tree.splits) {
          if (split.idx1 >= num_features || split.idx2 >= num_features) {
            return "bad split index";
          }
        }
        for (const auto& leaf : tree.leaf_values) {
          if (leaf.size() != initial_shape_.size()) return "bad leaf size";
          for (long k = 0; k < leaf.size(); ++k) {
            if (!std::isfinite(leaf(k))) return "non-finite leaf value";
          }
        }
      }
    }
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      mean_[i] = {initial_shape_(2 * i), initial_shape_(2 * i + 1)};
      if (!std::isfinite(mean_[i].x) || !std::isfinite(mean_[i].y)) return "bad mean shape";
    }
    return "";
  }

  dlib::matrix<float, 0, 1> initial_shape_;
  std::vector<std::vector<regression_tree>> forests_;
  std::vector<std::vector<unsigned long>> anchor_idx_;
  std::vector<Deltas> deltas_;
  Shape mean_{};
  std::vector<float> features_;
};

}  // namespace

core::Result<std::unique_ptr<ShapeModel>> ShapeModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error::Runtime("cannot be opened");
  auto model = std::make_unique<DlibShapeModel>();
  const std::string problem = model->ReadFrom(in);
  if (!problem.empty()) return core::Error::Runtime(problem);
  return std::unique_ptr<ShapeModel>(std::move(model));
}

}  // namespace fw::tracking
