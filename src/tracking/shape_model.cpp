// dlib's shape_predictor file read member by member, as dlib::deserialize(shape_predictor&)
// does, then checked so that a file that happens to parse cannot index out of bounds later.
#include "tracking/shape_model.h"

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <istream>
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

// The model file through a large buffer, whose leaf values ReadFloat parses in place: through
// std::istream, dlib's deserialize(float&) costs about 25 ns a value in per-byte stream calls,
// and the 68-point model holds 16 million of them (0.4 s of every start).
class ModelFile : public std::streambuf {
 public:
  ~ModelFile() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  bool Open(const std::string& path) {
    file_ = std::fopen(path.c_str(), "rb");
    buffer_.resize(kBufferSize);
    setg(buffer_.data(), buffer_.data(), buffer_.data());
    return file_ != nullptr;
  }

  // dlib::deserialize(value, in), `in` reading from this buffer: the binary encoding (mantissa
  // and exponent as dlib's compact integers, then dlib's own float_details conversion) is
  // parsed here; the old text encoding and every error are left to dlib.
  void ReadFloat(std::istream& in, float& value) {
    const size_t avail = Ensure(kMaxFloatBytes);
    const auto* p = reinterpret_cast<const unsigned char*>(gptr());
    int64_t mantissa = 0;
    int64_t exponent = 0;
    size_t used = 0;
    if (avail == 0 || (p[0] & 0x70) != 0 || !ParseInt(p, avail, 8, mantissa, used) ||
        !ParseInt(p, avail, 2, exponent, used)) {
      dlib::deserialize(value, in);
      return;
    }
    gbump(static_cast<int>(used));
    value = dlib::float_details(mantissa, static_cast<dlib::int16>(exponent));
  }

 protected:
  int_type underflow() override {
    if (Ensure(1) == 0) return traits_type::eof();
    return traits_type::to_int_type(*gptr());
  }

 private:
  static constexpr size_t kBufferSize = 1 << 20;
  static constexpr size_t kMaxFloatBytes = 1 + 8 + 1 + 2;

  // At least n bytes in the get area unless the file ends first; returns how many there are.
  size_t Ensure(size_t n) {
    size_t avail = static_cast<size_t>(egptr() - gptr());
    if (avail >= n || file_ == nullptr) return avail;
    std::memmove(buffer_.data(), gptr(), avail);
    avail += std::fread(buffer_.data() + avail, 1, buffer_.size() - avail, file_);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + avail);
    return avail;
  }

  // One signed integer of dlib's compact encoding (a byte with the sign in bit 7 and the
  // length in bits 0-3, then that many little-endian bytes) at p[used]; false where dlib's
  // unpack_int would fail.
  static bool ParseInt(const unsigned char* p, size_t avail, size_t max_bytes, int64_t& value,
                       size_t& used) {
    if (used >= avail) return false;
    const unsigned char control = p[used];
    const size_t size = control & 0x0F;
    if (size == 0 || size > max_bytes || used + 1 + size > avail) return false;
    uint64_t magnitude = 0;
    for (size_t i = size; i > 0; --i) magnitude = (magnitude << 8) | p[used + i];
    value = static_cast<int64_t>(magnitude);
    if ((control & 0x80) != 0) value = -value;
    used += 1 + size;
    return true;
  }

  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
};

// dlib's matrix<float, 0, 1> format with the values read by ModelFile::ReadFloat.
void ReadLeaf(ModelFile& file, std::istream& in, dlib::matrix<float, 0, 1>& leaf) {
  long rows = 0;
  long cols = 0;
  dlib::deserialize(rows, in);
  dlib::deserialize(cols, in);
  // The newer format stores the sizes negated.
  if (rows < 0 || cols < 0) {
    rows = -rows;
    cols = -cols;
  }
  if (cols != 1) throw dlib::serialization_error("a leaf that is not a column vector");
  if (rows > static_cast<long>(kMaxFeatures)) {
    throw dlib::serialization_error("implausible leaf size " + std::to_string(rows));
  }
  leaf.set_size(rows);
  for (long i = 0; i < rows; ++i) file.ReadFloat(in, leaf(i));
}

class DlibShapeModel : public ShapeModel {
 public:
  const Shape& MeanShape() const override { return mean_; }

  void Predict(const cv::Mat& grey, const core::Rect& box, Shape& points) const override {
    PredictMany(grey, &box, 1, &points);
  }

  void PredictMany(const cv::Mat& grey, const core::Rect* boxes, int n,
                   Shape* points) const override {
    const dlib::cv_image<unsigned char> img(grey);
    // Scratch kept per thread, so that threads sharing the model share no mutable state.
    thread_local std::vector<float> features;
    thread_local std::vector<const float*> chosen;  // per tree of the level, its leaf
    thread_local std::vector<dlib::matrix<float, 0, 1>> shapes;
    thread_local std::vector<dlib::rectangle> rects;
    shapes.resize(static_cast<size_t>(n));
    rects.resize(static_cast<size_t>(n));
    for (int b = 0; b < n; ++b) {
      // Whole-pixel width and height, independent of the box's position, so that a box that
      // moves by a fraction of a pixel does not change the face's scale.
      const core::Rect& box = boxes[b];
      const long left = std::lround(box.x);
      const long top = std::lround(box.y);
      const long width = std::max(1L, std::lround(box.w));
      const long height = std::max(1L, std::lround(box.h));
      rects[b] = dlib::rectangle(left, top, left + width - 1, top + height - 1);
      shapes[b] = initial_shape_;
    }
    // The loop of dlib::shape_predictor::operator(), minus the final rounding to dlib::point.
    // The sum runs tree by tree in dlib's order, so the result is dlib's to the last bit. The
    // boxes go through each level one after another: boxes on one face mostly reach the same
    // leaves, which the first one has brought into the cache.
    const size_t dims = static_cast<size_t>(initial_shape_.size());
    for (size_t level = 0; level < levels_.size(); ++level) {
      const Level& lv = levels_[level];
      const size_t trees = lv.tree_splits.size() - 1;
      chosen.resize(trees);
      for (int b = 0; b < n; ++b) {
        dlib::matrix<float, 0, 1>& shape = shapes[b];
        float* sum = &shape(0);
        dlib::impl::extract_feature_pixel_values(img, rects[b], shape, initial_shape_,
                                                 anchor_idx_[level], deltas_[level], features);
        for (size_t t = 0; t < trees; ++t) chosen[t] = lv.Leaf(t, features, dims);
        for (size_t t = 0; t < trees; ++t) {
          if (t + kPrefetchTrees < trees) Prefetch(chosen[t + kPrefetchTrees], dims);
          const float* leaf = chosen[t];
          for (size_t k = 0; k < dims; ++k) sum[k] += leaf[k];
        }
      }
    }
    for (int b = 0; b < n; ++b) {
      const dlib::point_transform_affine to_image = dlib::impl::unnormalizing_tform(rects[b]);
      for (int i = 0; i < core::kNumLandmarks; ++i) {
        const dlib::dpoint p = to_image(dlib::impl::location(shapes[b], i));
        points[b][i] = {p.x(), p.y()};
      }
    }
  }

  // Reads the members from a dlib model stream; returns the reason it is unusable, or "".
  std::string ReadFrom(ModelFile& file) {
    std::istream in(&file);
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
                     [&](dlib::matrix<float, 0, 1>& leaf) { ReadLeaf(file, in, leaf); });
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
    if (!problem.empty()) return "is corrupt or the wrong model: " + problem;
    Flatten();
    return "";
  }

 private:
  // One cascade level in flat arrays: the trees' split nodes one after another, and their
  // leaf vectors one after another, so that a tree costs one look-up into each.
  struct Split {
    uint32_t idx1;
    uint32_t idx2;
    float thresh;
  };
  struct Level {
    std::vector<Split> splits;
    std::vector<size_t> tree_splits;  // tree t's nodes: [tree_splits[t], tree_splits[t + 1])
    std::vector<size_t> tree_leaves;  // tree t's first leaf, counted in leaves of `dims` floats
    std::vector<float> leaves;

    // The leaf that tree t picks for these feature pixel values: dlib's regression_tree walk.
    const float* Leaf(size_t t, const std::vector<float>& features, size_t dims) const {
      const Split* nodes = splits.data() + tree_splits[t];
      const size_t n = tree_splits[t + 1] - tree_splits[t];
      size_t i = 0;
      while (i < n) {
        const Split& s = nodes[i];
        i = features[s.idx1] - features[s.idx2] > s.thresh ? 2 * i + 1 : 2 * i + 2;
      }
      return leaves.data() + (tree_leaves[t] + (i - n)) * dims;
    }
  };

  // The leaves of a level are spread over megabytes, one per tree, so each is a cache miss
  // unless it is asked for a few trees ahead.
  static constexpr size_t kPrefetchTrees = 8;
  static void Prefetch(const float* leaf, size_t dims) {
    const char* p = reinterpret_cast<const char*>(leaf);
    for (size_t off = 0; off < dims * sizeof(float); off += 64) __builtin_prefetch(p + off);
  }

  // Moves the validated forests into the flat levels, one level at a time so that the model
  // is never held twice.
  void Flatten() {
    const size_t dims = static_cast<size_t>(initial_shape_.size());
    levels_.resize(forests_.size());
    for (size_t level = 0; level < forests_.size(); ++level) {
      Level& lv = levels_[level];
      std::vector<regression_tree> forest;
      forest.swap(forests_[level]);
      size_t num_splits = 0;
      size_t num_leaves = 0;
      for (const regression_tree& tree : forest) {
        num_splits += tree.splits.size();
        num_leaves += tree.leaf_values.size();
      }
      lv.splits.reserve(num_splits);
      lv.leaves.reserve(num_leaves * dims);
      for (const regression_tree& tree : forest) {
        lv.tree_splits.push_back(lv.splits.size());
        lv.tree_leaves.push_back(lv.leaves.size() / dims);
        for (const dlib::impl::split_feature& split : tree.splits) {
          lv.splits.push_back(
              {static_cast<uint32_t>(split.idx1), static_cast<uint32_t>(split.idx2), split.thresh});
        }
        for (const dlib::matrix<float, 0, 1>& leaf : tree.leaf_values) {
          lv.leaves.insert(lv.leaves.end(), &leaf(0), &leaf(0) + dims);
        }
      }
      lv.tree_splits.push_back(lv.splits.size());
    }
    forests_.clear();
    forests_.shrink_to_fit();
  }

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
  std::vector<std::vector<regression_tree>> forests_;  // as read; emptied by Flatten
  std::vector<Level> levels_;
  std::vector<std::vector<unsigned long>> anchor_idx_;
  std::vector<Deltas> deltas_;
  Shape mean_{};
};

}  // namespace

core::Result<std::unique_ptr<ShapeModel>> ShapeModel::Load(const std::string& path) {
  ModelFile file;
  if (!file.Open(path)) return core::Error::Runtime("cannot be opened");
  auto model = std::make_unique<DlibShapeModel>();
  const std::string problem = model->ReadFrom(file);
  if (!problem.empty()) return core::Error::Runtime(problem);
  return std::unique_ptr<ShapeModel>(std::move(model));
}

}  // namespace fw::tracking
