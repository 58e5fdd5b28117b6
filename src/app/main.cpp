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
      auto command = fw::app::ParseServeCommandLine(argc - 1, argv + 1);
      const fw::core::Status status = !command.ok()       ? command.status()
                                      : command->exit_now ? fw::core::Status::Ok()
                                                          : fw::app::RunServe(*command);
      if (!status.ok()) {
        std::fprintf(stderr, "facewarp: error: %s\n", status.error().message.c_str());
        return status.error().ExitCode();
      }
      if (command->exit_now) std::fputs(command->text.c_str(), stdout);
      return 0;
    }
    auto parsed = fw::app::ParseCommandLine(argc, argv);
    if (!parsed.ok()) {
      fw::core::PrintError(parsed.error());
      return parsed.error().ExitCode();
    }
    if (parsed->exit_now) {
      std::fputs(parsed->text.c_str(), stdout);
      return 0;
    }
    fw::core::InitLogging(parsed->options.log_level.c_str());
    fw::capture::ConfigureBackendLogging(parsed->options.log_level == "debug");
    fw::capture::RestrictFfmpegInputs();
    const fw::core::Status status = fw::app::Run(parsed->options);
    if (!status.ok()) {
      fw::core::PrintError(status.error());
      return status.error().ExitCode();
    }
    return 0;
  } catch (const std::exception& e) {
    fw::core::PrintError(fw::core::Error::Runtime(std::string("internal failure: ") + e.what()));
    return 1;
  }
}
