// Stopping a run from outside: SIGINT, SIGTERM and SIGHUP set one process-wide flag that the
// frame loops and every blocking output write check. The handlers are installed first thing in
// main(), before any model is loaded, so an early Ctrl-C is never lost. Thread-safe
// (async-signal-safe where it matters: the handler only stores an int).
#pragma once

namespace fw::core {

// Installs the handlers (without SA_RESTART, so a blocked system call returns EINTR) and
// ignores SIGPIPE (a closed pipe is a write error, not a silent death). Idempotent.
void InstallStopSignalHandlers();

bool StopRequested();

// The signal that requested the stop (SIGINT...), 0 if none or if RequestStop(0) was called.
int StopSignal();

// "SIGINT", "SIGTERM", "SIGHUP", or "a stop request".
const char* StopSignalName();

// What the handlers do; also for tests and for code that stops a run itself.
void RequestStop(int signal_number);

// Forgets a stop request (tests only).
void ClearStopRequest();

}  // namespace fw::core
