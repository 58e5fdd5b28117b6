#include "capture/bgr8.h"

namespace fw::capture {

cv::Mat ToBgr8(const cv::Mat& image) {
  if (image.empty() || image.type() == CV_8UC3) return image;

  cv::Mat eight;
  switch (image.depth()) {
    case CV_8U:
      eight = image;
      break;
    case CV_16U:
      image.convertTo(eight, CV_8U, 1.0 / 257.0);  // 65535 -> 255 exactly
      break;
    case CV_32F:
    case CV_64F:
      image.convertTo(eight, CV_8U, 255.0);
      break;
    default:
      image.convertTo(eight, CV_8U);
      break;
  }

  if (eight.channels() == 3) return eight;

  // Channel shuffles with core only: the capture module does not link imgproc.
  cv::Mat bgr(eight.size(), CV_8UC3);
  if (eight.channels() >= 3) {
    const int from_to[] = {0, 0, 1, 1, 2, 2};
    cv::mixChannels(&eight, 1, &bgr, 1, from_to, 3);
  } else {
    const int from_to[] = {0, 0, 0, 1, 0, 2};
    cv::mixChannels(&eight, 1, &bgr, 1, from_to, 3);
  }
  return bgr;
}

}  // namespace fw::capture
