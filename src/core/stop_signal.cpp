#include "core/stop_signal.h"

#include <csignal>

#include <atomic>
#include <cstring>

namespace fw::core {
namespace {

std::atomic<int> g_stop{-1};  // -1: no stop; otherwise the signal number (0: programmatic)

void OnStopSignal(int signal_number) { g_stop.store(signal_number); }

}  // namespace

void InstallStopSignalHandlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a write blocked on a stalled pipe returns EINTR
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool StopRequested() { return g_stop.load() >= 0; }

int StopSignal() {
  const int s = g_stop.load();
  return s > 0 ? s : 0;
}

const char* StopSignalName() {
  switch (StopSignal()) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a stop request";
  }
}

void RequestStop(int signal_number) { g_stop.store(signal_number < 0 ? 0 : signal_number); }

void ClearStopRequest() { g_stop.store(-1); }

}  // namespace fw::core
