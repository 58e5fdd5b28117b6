// facewarp's entry point: parse the command line, run, report one error line on failure.
#include <cstdio>
#include <exception>
#include <string>

#include "app/app.h"
#include "app/cli.h"
#include "app/serve.h"
#include "capture/backend_logging.h"
#include "core/log.h"
#include "core/stop_signal.h"

int main(int argc, char** argv) {
  // First of all, so that no signal is lost (SIGINT, SIGTERM and SIGHUP stop the run cleanly,
  // removing temporary files), and a closed "-" pipe is a write error, not a SIGPIPE death.
  fw::core::InstallStopSignalHandlers();
  try {
    if (argc > 1 && std::string(argv[1]) == "serve") {
      std::string text;
      const fw::core::Status status = fw::app::RunServe(argc - 1, argv + 1, text);
      if (!status.ok()) {
        std::fprintf(stderr, "facewarp: error: %s\n", status.error().message.c_str());
        return status.error().ExitCode();
      }
      std::fputs(text.c_str(), stdout);
      return 0;
    }
    auto parsed = fw::app::ParseCommandLine(argc, argv);
    if (!parsed.ok()) {
      std::fprintf(stderr, "facewarp: error: %s\n", parsed.error().message.c_str());
      return parsed.error().ExitCode();
    }
    if (parsed->exit_now) {
      std::fputs(parsed->text.c_str(), stdout);
      return 0;
    }
    fw::core::InitLogging(parsed->options.log_level.c_str());
    fw::capture::ConfigureBackendLogging(parsed->options.log_level == "debug");
    const fw::core::Status status = fw::app::Run(parsed->options);
    if (!status.ok()) {
      std::fprintf(stderr, "facewarp: error: %s\n", status.error().message.c_str());
      return status.error().ExitCode();
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "facewarp: error: internal failure: %s\n", e.what());
    return 1;
  }
}
