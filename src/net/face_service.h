// `facewarp serve`: a stateless HTTP service over the face analyzer and the CPU warp.
//   POST /api/v1/faces    image -> {"width", "height", "faces": [{"box", "points", "score"}]}
//                                   (box and points as --landmarks writes)
//   POST /api/v1/process  image (+ parameters) -> the filtered image, PNG or JPEG
//   GET  /healthz         {"status": "ok", ...}, never needs a token
// Images come as the raw body or as JSON {"image": "<base64>", "params": {...}, "format": ...}.
// Work runs on a bounded pool; a full queue answers 503 with Retry-After. Start, url and Stop
// are called from one thread; requests are served on the server's threads.
#pragma once

#include <memory>
#include <string>

#include "core/params.h"
#include "core/result.h"
#include "net/http_common.h"
#include "net/image_codec.h"
#include "tracking/face_analyzer.h"

namespace fw::net {

struct ServeOptions {
  ListenAddress address;
  int workers = 1;    // each with its own detector and predictor state
  int queue = 8;      // requests waiting for a worker beyond which 503 is answered
  std::string token;  // empty: no token needed
  size_t max_body_bytes = 40u << 20;
  ImageLimits limits;
  core::Params params = core::DefaultParams();  // the defaults each request starts from
};

class FaceService {
 public:
  // Clones `model` for every worker (the model itself is shared, read-only) and starts
  // listening. A bad address or a port in use is a runtime error.
  static core::Result<std::unique_ptr<FaceService>> Start(const ServeOptions& options,
                                                          const tracking::FaceAnalyzer& model);
  ~FaceService();
  FaceService(const FaceService&) = delete;
  FaceService& operator=(const FaceService&) = delete;

  std::string url() const;
  // Stops listening; requests under way finish first.
  void Stop();

  class Impl;

 private:
  explicit FaceService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fw::net
