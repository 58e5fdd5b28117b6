// Still images as a source: the decoded picture, handed out as a fresh copy per frame.
// An ImageSource is used from one thread; ReadImageBgr8 is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "capture/source.h"
#include "core/result.h"

namespace fw::capture {

// Decodes an image file (by content, EXIF orientation applied) to 8-bit BGR. Errors name the
// file: missing, unreadable, or not decodable.
core::Result<cv::Mat> ReadImageBgr8(const std::string& path);

class ImageSource : public Source {
 public:
  // frames: how many times the image is handed out; -1 repeats it forever (a "still stream"
  // for live mode, paced by the caller).
  ImageSource(cv::Mat bgr, std::string name, int64_t frames);

  const SourceInfo& info() const override { return info_; }
  ReadState Read(core::Frame& frame) override;

 private:
  cv::Mat image_;
  SourceInfo info_;
  int64_t next_index_ = 0;
  int64_t start_ns_ = 0;
};

// An image file as a stream of `frames` frames (1: the offline case).
core::Result<std::unique_ptr<Source>> OpenImageFile(const std::string& path, int64_t frames = 1);

}  // namespace fw::capture
