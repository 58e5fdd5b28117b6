// The --control HTTP API of a running filter (live preview, headless camera or file, virtual
// camera). It serves from threads of its own and reaches the frame loop only through a
// ControlChannel; it never touches GL.
//   GET   /api/v1/params     {"params": {...}, "effect": bool, "table": [...]}
//   PATCH /api/v1/params     {"thin": 2, ...}: all or nothing, --set's messages
//   POST  /api/v1/preset     a preset's JSON, {"path": "FILE.json"} or {"name": NAME}
//   POST  /api/v1/effect     {"on": true | false | "toggle"}
//   GET   /api/v1/stats      the --stats fields, live
//   GET   /api/v1/snapshot   PNG of the filtered frame
//   POST  /api/v1/recording  {"on": true | false | "toggle"}
// Start, url and Stop are called from the main thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "net/control_channel.h"
#include "net/http_common.h"

namespace fw::net {

inline constexpr char kControlTokenEnv[] = "FACEWARP_CONTROL_TOKEN";

struct ControlOptions {
  ListenAddress address;
  std::string token;  // required when address is not loopback
  size_t max_body_bytes = 64 * 1024;
};

// Checks --control's address and token before anything is opened: a malformed address, or an
// address off loopback without a token (from --control-token or $FACEWARP_CONTROL_TOKEN), is a
// usage error.
core::Result<ControlOptions> ControlOptionsFor(const std::string& address,
                                               const std::string& token_flag);

class ControlServer {
 public:
  // `stats_json` gives the --stats document of the run so far; it is called from HTTP threads
  // (at most a few times a second, whatever the polling rate).
  static core::Result<std::unique_ptr<ControlServer>> Start(
      const ControlOptions& options, ControlChannel& channel,
      std::function<std::string()> stats_json);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  std::string url() const;
  void Stop();

  class Impl;

 private:
  explicit ControlServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fw::net
