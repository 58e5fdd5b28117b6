#include "app/serve.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "core/log.h"
#include "core/preset.h"
#include "core/stop_signal.h"
#include "net/face_service.h"
#include "tracking/face_analyzer.h"

namespace fw::app {

core::Result<ServeCommand> ParseServeCommandLine(int argc, const char* const* argv) {
  ServeCommand command;
  net::ServeOptions& options = command.options;
  std::string address;
  std::string token;
  std::string preset;
  std::vector<std::string> sets;
  CLI::App cli{
      "facewarp serve: a stateless HTTP face service (no camera, no window).\n"
      "  POST /api/v1/faces    an image -> its faces (boxes, 68 landmarks, scores)\n"
      "  POST /api/v1/process  an image -> the filtered image (PNG or JPEG)\n"
      "  GET  /healthz         for health checks",
      "facewarp serve"};
  cli.add_option("address", address, "HOST:PORT to listen on (port 0: any free port)")->required();
  cli.add_option("--workers", options.workers,
                 "Requests processed at once, each worker with its own detector (default 1).")
      ->check(CLI::Range(1, 64));
  cli.add_option("--queue", options.queue,
                 "Requests waiting for a worker; beyond them the answer is 503 (default 8).")
      ->check(CLI::Range(0, 1024));
  cli.add_option("--token", token,
                 "Bearer token every /api request must carry (or $FACEWARP_SERVE_TOKEN).");
  cli.add_option("--set", sets, "KEY=VALUE: a default parameter for every request. Repeatable.");
  cli.add_option("--preset", preset, "Default parameters from a JSON preset (before --set).");
  cli.add_option("--model", command.model, "The 68-point shape predictor model file.");
  cli.add_option("--log-level", command.log_level, "error, warn, info or debug.")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    command.exit_now = true;
    command.text = cli.help();
    return command;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (char& c : message) {
      if (c == '\n') c = ' ';
    }
    return core::Error::Usage(message + " (see facewarp serve --help)");
  }
  FW_ASSIGN_OR_RETURN(options.address, net::ParseListenAddress(address, "facewarp serve"));
  options.token = net::TokenFrom(token, "FACEWARP_SERVE_TOKEN");
  if (!preset.empty()) FW_RETURN_IF_ERROR(core::LoadPreset(preset, options.params));
  for (const std::string& s : sets) FW_RETURN_IF_ERROR(core::SetFromString(options.params, s));
  return command;
}

core::Status RunServe(const ServeCommand& command) {
  const net::ServeOptions& options = command.options;
  core::InitLogging(command.log_level.c_str());
  FW_ASSIGN_OR_RETURN(auto analyzer, tracking::FaceAnalyzer::Create(command.model));
  core::InstallStopSignalHandlers();
  FW_ASSIGN_OR_RETURN(auto service, net::FaceService::Start(options, *analyzer));
  // Scripts and tests read the address (with the port chosen for port 0) from this line.
  std::fprintf(stderr, "facewarp: serving on %s with %d worker%s\n", service->url().c_str(),
               options.workers, options.workers == 1 ? "" : "s");
  std::fflush(stderr);
  while (!core::StopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  service->Stop();
  return core::Status::Ok();
}

}  // namespace fw::app
