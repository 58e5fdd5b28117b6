// Every `facewarp` command in README.md, checked: its options and values parse (ranges, known
// keys, v4l2: specs) and its input files exist; commands on files are run for real in a
// scratch directory and the files they name as outputs must appear, non-empty. A command
// that needs a camera runs with the sample clip in the camera's place; those that need a
// v4l2loopback device, a network server, a window or a GStreamer element that is not
// installed are checked for parsing only. The test prints what it did with each one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/serve.h"
#include "output/sink_spec.h"
#include "support/io_test_support.h"

namespace fw {
namespace {

namespace fs = std::filesystem;

std::string SourceDir() {
  const char* env = std::getenv("FACEWARP_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? env : FACEWARP_SOURCE_DIR;
}

struct Example {
  int line = 0;
  std::string command;  // continuation lines joined
};

// The commands starting with `facewarp` in the README's ```sh blocks.
std::vector<Example> ReadmeExamples() {
  std::ifstream in(SourceDir() + "/README.md");
  std::vector<Example> examples;
  bool in_sh = false;
  std::string pending;
  int pending_line = 0;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.rfind("```", 0) == 0) {
      in_sh = !in_sh && line == "```sh";
      continue;
    }
    if (!in_sh) continue;
    const size_t start = line.find_first_not_of(' ');
    if (pending.empty() && (start == std::string::npos || line[start] == '#')) continue;
    if (pending.empty()) pending_line = n;
    const bool continued = !line.empty() && line.back() == '\\';
    pending += (pending.empty() ? "" : " ") +
               line.substr(start == std::string::npos ? 0 : start,
                           continued ? line.size() - 1 - start : std::string::npos);
    if (continued) continue;
    if (pending.rfind("facewarp ", 0) == 0) examples.push_back({pending_line, pending});
    pending.clear();
  }
  return examples;
}

// Shell words of the facewarp part (before an unquoted '|'), quotes removed.
std::vector<std::string> Words(const std::string& command, std::string* rest) {
  std::vector<std::string> words;
  std::string word;
  bool have = false;
  char quote = 0;
  size_t i = 0;
  for (; i < command.size(); ++i) {
    const char c = command[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      have = true;
    } else if (c == '|') {
      break;
    } else if (c == '#' && !have) {  // a comment to the end of the line
      i = command.size();
      break;
    } else if (c == ' ') {
      if (have) words.push_back(word);
      word.clear();
      have = false;
    } else {
      word += c;
      have = true;
    }
  }
  if (have) words.push_back(word);
  *rest = i < command.size() ? command.substr(i + 1) : "";
  return words;
}

std::vector<std::string> ValuesOf(const std::vector<std::string>& words, const std::string& opt) {
  std::vector<std::string> values;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == opt) values.push_back(words[i + 1]);
  }
  return values;
}

bool HaveGstElement(const std::string& element) {
  return iotest::RunCommand("gst-inspect-1.0 --exists '" + element + "' 2>/dev/null").exit_code ==
         0;
}

// Why a command cannot run here ("" when it can), and the files it should write.
std::string WhyNotRun(const std::vector<std::string>& words, const std::string& consumer,
                      std::vector<std::string>& outputs) {
  std::string why;
  const auto note = [&](const std::string& reason) {
    if (why.empty()) why = reason;
  };
  for (const std::string& out : ValuesOf(words, "--output")) {
    if (out.rfind("v4l2:", 0) == 0) {
      note("needs a v4l2loopback device");
    } else if (out.rfind("gst:", 0) == 0) {
      if (out.find("v4l2sink") != std::string::npos) note("needs a v4l2loopback device");
      if (out.find("autovideosink") != std::string::npos) note("needs a window");
      std::smatch m;
      // Element names, not caps ("video/x-raw,format=RGB").
      const std::regex element(R"((?:^gst:|!)\s*([a-z0-9]+)(?=\s|!|$))");
      for (auto it = std::sregex_iterator(out.begin(), out.end(), element);
           it != std::sregex_iterator(); ++it) {
        if (!HaveGstElement((*it)[1])) note("GStreamer element " + (*it)[1].str() + " missing");
      }
      std::smatch location;
      if (std::regex_search(out, location, std::regex(R"(location=(\S+))"))) {
        std::string file = location[1];
        char name[256];
        std::snprintf(name, sizeof(name), file.c_str(), 0);  // frame%05d.jpg -> frame00000.jpg
        outputs.emplace_back(name);
      }
    } else if (out != "-") {
      outputs.push_back(out);
    }
  }
  for (const char* file_opt : {"--landmarks", "--save-preset", "--stats"}) {
    for (const std::string& f : ValuesOf(words, file_opt)) outputs.push_back(f);
  }
  if (consumer.find("rtmp://") != std::string::npos) note("needs a streaming server");
  if (!ValuesOf(words, "--control").empty()) note("serves its control API until stopped");
  if (consumer.find("-f v4l2") != std::string::npos) note("needs a v4l2loopback device");
  if (consumer.find("mpv") != std::string::npos || consumer.find("ffplay") != std::string::npos) {
    note("needs a window");
  }
  if (!consumer.empty() && why.empty()) {
    std::string last = consumer.substr(consumer.find_last_of(' ') + 1);
    if (last.find('.') != std::string::npos) outputs.push_back(last);
  }
  return why;
}

TEST(ReadmeExamples, EveryFacewarpCommandParsesAndThoseOnFilesRunAndWriteTheirOutputs) {
  const std::vector<Example> examples = ReadmeExamples();
  ASSERT_GE(examples.size(), 15u) << "the README's examples were not found";
  iotest::TempDir dir;
  fs::create_symlink(SourceDir() + "/assets", dir.File("assets"));
  if (fs::exists(SourceDir() + "/presets")) {
    fs::create_symlink(SourceDir() + "/presets", dir.File("presets"));
  }
  fs::create_directory(dir.File("bin"));
  fs::create_symlink(iotest::FacewarpBinary(), dir.File("bin/facewarp"));
  const fs::path old_cwd = fs::current_path();
  fs::current_path(dir.path());  // relative paths (presets) as the commands see them

  int ran = 0;
  for (const Example& example : examples) {
    SCOPED_TRACE("README.md:" + std::to_string(example.line) + ": " + example.command);
    std::string consumer;
    std::vector<std::string> words = Words(example.command, &consumer);
    if (words.size() > 1 && words[1] == "serve") {  // the HTTP service runs until stopped
      std::vector<const char*> serve_argv;
      for (size_t i = 1; i < words.size(); ++i) serve_argv.push_back(words[i].c_str());
      auto serve =
          app::ParseServeCommandLine(static_cast<int>(serve_argv.size()), serve_argv.data());
      EXPECT_TRUE(serve.ok()) << serve.error().message;
      std::cout << "parsed only (a network server): " << example.command << "\n";
      continue;
    }
    // What the command line accepts: options, parameter keys and ranges, presets.
    std::vector<const char*> argv;
    for (const std::string& w : words) argv.push_back(w.c_str());
    auto parsed = app::ParseCommandLine(static_cast<int>(argv.size()), argv.data());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    for (const std::string& out : ValuesOf(words, "--output")) {
      EXPECT_TRUE(output::ParseSinkSpec(out).ok()) << out;
    }
    bool camera = false;
    for (const std::string& input : ValuesOf(words, "--input")) {
      camera = input.find_first_not_of("0123456789") == std::string::npos ||
               input.rfind("/dev/", 0) == 0;
      if (!camera) {
        EXPECT_TRUE(fs::exists(input)) << "no such input file " << input;
      }
    }

    std::vector<std::string> outputs;
    const std::string why = WhyNotRun(words, consumer, outputs);
    if (!why.empty()) {
      std::cout << "parsed only (" << why << "): " << example.command << "\n";
      continue;
    }
    std::string command = example.command;
    if (camera) {  // the sample clip stands in for the camera
      command = std::regex_replace(command, std::regex(R"(--input (0|/dev/\S+))"),
                                   "--input assets/astronaut_zoom_pan_rotate_512.mp4");
    }
    for (const std::string& out : outputs) fs::remove(out);
    const iotest::CommandResult r =
        iotest::RunCommand("PATH='" + dir.File("bin") + "':$PATH bash -o pipefail -c \"" +
                           std::regex_replace(command, std::regex("\""), "\\\"") +
                           "\" < /dev/null > stdout.txt 2> stderr.txt");
    EXPECT_EQ(r.exit_code, 0) << iotest::ReadBytes("stderr.txt");
    for (const std::string& out : outputs) {
      std::error_code ec;
      EXPECT_GT(fs::file_size(out, ec), 0u) << "no output " << out;
    }
    if (std::find(words.begin(), words.end(), "--list-cameras") != words.end()) {
      EXPECT_FALSE(iotest::ReadBytes("stdout.txt").empty());
    }
    std::cout << (camera ? "ran (sample clip for the camera): " : "ran: ") << example.command
              << "\n";
    ++ran;
  }
  fs::current_path(old_cwd);
  // Most examples are on files: a README change that stops them running must be noticed.
  EXPECT_GE(ran, 8);
}

}  // namespace
}  // namespace fw
