// A facewarp process started for a test, with its standard error collected on a thread of its
// own (the child never blocks on a full pipe): waits for the "http://HOST:PORT" line a server
// prints, and stops the process with SIGTERM. Used from the test's main thread.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace fw::livetest {

class LiveProcess {
 public:
  // Runs `binary args...` in `dir` (empty: the current one); `env` entries ("K=V") are added to
  // the environment.
  LiveProcess(const std::string& binary, const std::vector<std::string>& args,
              const std::vector<std::string>& env = {}) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> argv_s = {binary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = env;  // these replace the inherited ones of their name
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('=') + 1);
      bool replaced = false;
      for (const std::string& mine : env) replaced = replaced || mine.rfind(name, 0) == 0;
      if (!replaced) env_s.push_back(entry);
    }
    std::vector<char*> envp;
    for (std::string& s : env_s) envp.push_back(s.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] {
      char buffer[4096];
      for (;;) {
        const ssize_t n = read(fd, buffer, sizeof(buffer));
        std::lock_guard<std::mutex> lock(mu_);
        if (n <= 0) {
          closed_ = true;
          changed_.notify_all();
          break;
        }
        err_.append(buffer, static_cast<size_t>(n));
        changed_.notify_all();
      }
      close(fd);
    });
  }

  ~LiveProcess() {
    Stop();
    if (reader_.joinable()) reader_.join();
  }
  LiveProcess(const LiveProcess&) = delete;
  LiveProcess& operator=(const LiveProcess&) = delete;

  // The URL the process announces ("http://127.0.0.1:PORT"), or "" if it exits (or stays
  // silent for a minute: a safety net against a hung test, not a timing check).
  std::string WaitForUrl() {
    static const std::regex kUrl(R"(http://[^ \n]+:[0-9]+)");
    std::unique_lock<std::mutex> lock(mu_);
    std::smatch m;
    changed_.wait_for(lock, std::chrono::minutes(1),
                      [&] { return std::regex_search(err_, m, kUrl) || closed_; });
    return std::regex_search(err_, m, kUrl) ? m.str() : "";
  }

  // SIGTERM, then the exit status (-1 if it did not exit normally).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    return Wait();
  }

  // Waits for the process to end by itself.
  int Wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

  pid_t pid() const { return pid_; }

  std::string err() {
    std::lock_guard<std::mutex> lock(mu_);
    return err_;
  }

  // Resident memory of the process, kB (0 once it has ended).
  long RssKb() const {
    if (pid_ <= 0) return 0;
    FILE* f = std::fopen(("/proc/" + std::to_string(pid_) + "/status").c_str(), "r");
    if (f == nullptr) return 0;
    char line[256];
    long kb = 0;
    while (std::fgets(line, sizeof(line), f) != nullptr) {
      if (std::sscanf(line, "VmRSS: %ld", &kb) == 1) break;
    }
    std::fclose(f);
    return kb;
  }

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::mutex mu_;
  std::condition_variable changed_;
  std::string err_;
  bool closed_ = false;
  std::thread reader_;
};

}  // namespace fw::livetest
