// Runs the facewarp binary with an exact argument vector (no shell, so any byte can be in an
// argument) in a given working directory, under a hard time limit, and collects its exit
// status, stdout and stderr lines. Header-only; used from the test's main thread.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw::iotest {

struct FacewarpRun {
  int exit_code = -1;  // 124 and up: killed by the time limit (coreutils' timeout)
  std::string out;
  std::vector<std::string> err_lines;
  long max_rss_kb = 0;  // of the largest child waited for so far by this test process
};

// `capture_dir` receives the stdout/stderr files (it must not be `cwd`, whose contents the
// caller checks). Standard input is /dev/null unless `stdin_path` is given.
inline FacewarpRun RunFacewarp(const std::string& cwd, const std::vector<std::string>& args,
                               const std::string& capture_dir, int time_limit_s = 120,
                               const std::string& stdin_path = "/dev/null") {
  const std::string out_path = capture_dir + "/stdout.bin";
  const std::string err_path = capture_dir + "/stderr.txt";
  std::vector<std::string> argv_s = {"timeout", "-s", "KILL", std::to_string(time_limit_s),
                                     FacewarpBinary()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  FacewarpRun run;
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open(stdin_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp("timeout", argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid) {
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  run.max_rss_kb = usage.ru_maxrss;
  run.out = ReadBytes(out_path);
  std::istringstream lines(ReadBytes(err_path));
  for (std::string line; std::getline(lines, line);) {
    run.err_lines.push_back(line);
  }
  return run;
}

}  // namespace fw::iotest
