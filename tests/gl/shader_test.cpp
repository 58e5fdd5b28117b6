// Shader files: every stage compiles, every program links, broken shaders give one error with
// the file name and the whole compiler log, hot reload keeps the last good program.
#include "render/gl/shader.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gl/gl_test_context.h"
#include "render/gl/reloadable_program.h"
#include "render/present_pass.h"
#include "render/warp_pass.h"

namespace fw::render {
namespace {

namespace fs = std::filesystem;
using test::GlTest;

std::string SourceShaderDir() {
  const char* env = std::getenv("FACEWARP_SOURCE_DIR");
  return std::string(env != nullptr && *env != '\0' ? env : FACEWARP_SOURCE_DIR) + "/shaders";
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("facewarp-shader-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// The log GL itself gives for source, to check that errors carry all of it.
std::string RawCompileLog(GLenum stage, const std::string& source) {
  GlShader shader = GlShader::Create(stage);
  const char* text = source.c_str();
  glShaderSource(shader.id(), 1, &text, nullptr);
  glCompileShader(shader.id());
  GLint length = 0;
  glGetShaderiv(shader.id(), GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<size_t>(length), '\0');
  glGetShaderInfoLog(shader.id(), length, nullptr, log.data());
  return log.substr(0, log.find('\0'));
}

constexpr char kGoodFragment[] =
    "#version 330 core\n"
    "out vec4 o_color;\n"
    "void main() { o_color = vec4(1.0); }\n";
constexpr char kBrokenFragment[] =
    "#version 330 core\n"
    "out vec4 o_color;\n"
    "void main() {\n"
    "  o_color = vec4(1.0) * undefined_thing;\n"
    "}\n";

TEST(ShaderDir, FoundInTheSourceTreeOrInstallTree) {
  auto dir = FindShaderDir();
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_TRUE(fs::exists(fs::path(*dir) / "warp.frag"));
}

TEST(ShaderDir, EnvironmentOverrideWinsAndABadOneIsAnError) {
  TempDir temp;
  WriteFile(temp.path() / "warp.frag", kGoodFragment);
  ASSERT_EQ(setenv("FACEWARP_SHADER_DIR", temp.path().c_str(), 1), 0);
  auto dir = FindShaderDir();
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(*dir, temp.path().string());

  ASSERT_EQ(setenv("FACEWARP_SHADER_DIR", "/nonexistent/facewarp-shaders", 1), 0);
  auto bad = FindShaderDir();
  unsetenv("FACEWARP_SHADER_DIR");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("/nonexistent/facewarp-shaders"), std::string::npos);
}

TEST(ShaderText, DefinesFollowVersionAndIncludesAreInlinedOnce) {
  TempDir temp;
  WriteFile(temp.path() / "a.glsl", "float A() { return 1.0; }\n");
  WriteFile(temp.path() / "b.glsl", "#include \"a.glsl\"\nfloat B() { return A(); }\n");
  WriteFile(temp.path() / "main.frag",
            "#version 330 core\n#include \"a.glsl\"\n#include \"b.glsl\"\nvoid main() {}\n");
  auto text = LoadShaderText(temp.path().string(), "main.frag", {{"FW_X", "3"}});
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->text.rfind("#version 330 core\n#define FW_X 3\n", 0), 0u) << text->text;
  size_t count = 0;
  for (size_t at = text->text.find("float A()"); at != std::string::npos;
       at = text->text.find("float A()", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << text->text;
  ASSERT_EQ(text->files.size(), 3u);
  EXPECT_EQ(fs::path(text->files[1]).filename(), "a.glsl");
}

TEST(ShaderText, MissingFileIsAnErrorNamingIt) {
  TempDir temp;
  WriteFile(temp.path() / "main.frag", "#version 330 core\n#include \"gone.glsl\"\n");
  auto text = LoadShaderText(temp.path().string(), "main.frag", {});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("gone.glsl"), std::string::npos) << text.error().message;
  EXPECT_NE(text.error().message.find("main.frag:2"), std::string::npos) << text.error().message;
}

using ShaderFiles = GlTest;

TEST_F(ShaderFiles, EveryStageInTheShaderDirectoryCompiles) {
  const std::string dir = SourceShaderDir();
  int stages = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".vert" && ext != ".frag") continue;
    const GLenum stage = ext == ".vert" ? GL_VERTEX_SHADER : GL_FRAGMENT_SHADER;
    auto text = LoadShaderText(dir, entry.path().filename().string(), WarpShaderDefines());
    ASSERT_TRUE(text.ok()) << text.error().message;
    auto shader = CompileShader(stage, *text);
    EXPECT_TRUE(shader.ok()) << shader.error().message;
    ++stages;
  }
  EXPECT_GE(stages, 3);
}

TEST_F(ShaderFiles, EveryProgramLinks) {
  auto warp_pass = WarpPass::Create(SourceShaderDir());
  EXPECT_TRUE(warp_pass.ok()) << warp_pass.error().message;
  auto present_pass = PresentPass::Create(SourceShaderDir());
  EXPECT_TRUE(present_pass.ok()) << present_pass.error().message;
}

TEST_F(ShaderFiles, BrokenShaderErrorHasItsFileNameAndTheWholeLog) {
  TempDir temp;
  WriteFile(temp.path() / "broken.frag", kBrokenFragment);
  auto text = LoadShaderText(temp.path().string(), "broken.frag", {});
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto shader = CompileShader(GL_FRAGMENT_SHADER, *text);
  ASSERT_FALSE(shader.ok());
  const std::string& message = shader.error().message;
  EXPECT_NE(message.find((temp.path() / "broken.frag").string()), std::string::npos) << message;
  const std::string log = RawCompileLog(GL_FRAGMENT_SHADER, kBrokenFragment);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(message.find(log), std::string::npos) << message << "\n--- raw log ---\n" << log;
  EXPECT_NE(message.find("undefined_thing"), std::string::npos) << message;
}

// A shader that compiles with a warning: a variable read before it is written. Each call gives
// a source never seen before: Mesa's shader cache skips the compiler, and with it the log, for
// a source it has compiled in an earlier run.
std::string WarningFragment() {
  static int calls = 0;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return "#version 330 core\n"
         "// " +
         std::to_string(::getpid()) + "-" + std::to_string(now) + "-" + std::to_string(++calls) +
         "\n"
         "out vec4 o_color;\n"
         "void main() {\n"
         "  float facewarp_unset;\n"
         "  o_color = vec4(facewarp_unset);\n"
         "}\n";
}

TEST_F(ShaderFiles, AShaderThatCompilesWithWarningsHasThemLoggedOnceWithItsFileName) {
  const std::string log = RawCompileLog(GL_FRAGMENT_SHADER, WarningFragment());
  if (log.empty())
    GTEST_SKIP() << "this GL driver gives no warning for a variable read before it is set";
  TempDir temp;
  WriteFile(temp.path() / "warns.frag", WarningFragment());
  auto text = LoadShaderText(temp.path().string(), "warns.frag", {});
  ASSERT_TRUE(text.ok()) << text.error().message;

  std::ostringstream captured;
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(captured));
  const std::shared_ptr<spdlog::logger> saved = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  auto shader = CompileShader(GL_FRAGMENT_SHADER, *text);
  spdlog::set_default_logger(saved);

  ASSERT_TRUE(shader.ok()) << shader.error().message;
  const std::string out = captured.str();
  EXPECT_NE(out.find("[warning]"), std::string::npos) << out;
  EXPECT_NE(out.find((temp.path() / "warns.frag").string()), std::string::npos) << out;
  EXPECT_NE(out.find("facewarp_unset"), std::string::npos) << out;
  EXPECT_EQ(out.find("facewarp_unset"), out.rfind("facewarp_unset"))
      << "logged more than once: " << out;
}

TEST_F(ShaderFiles, ErrorInAnIncludedFileIsReportedAgainstThatFile) {
  TempDir temp;
  WriteFile(temp.path() / "bad.glsl", "// helper\n\nfloat Bad() { return nope; }\n");
  WriteFile(temp.path() / "main.frag",
            "#version 330 core\n#include \"bad.glsl\"\nout vec4 o;\nvoid main() { o = "
            "vec4(Bad()); }\n");
  auto text = LoadShaderText(temp.path().string(), "main.frag", {{"FW_UNUSED", "1"}});
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto shader = CompileShader(GL_FRAGMENT_SHADER, *text);
  ASSERT_FALSE(shader.ok());
  const std::string& message = shader.error().message;
  EXPECT_NE(message.find("1 = " + (temp.path() / "bad.glsl").string()), std::string::npos)
      << message;
  EXPECT_NE(message.find("1:3("), std::string::npos) << message;  // Mesa: "<file>:<line>(<col>)"
}

TEST_F(ShaderFiles, LinkErrorNamesBothStages) {
  TempDir temp;
  WriteFile(temp.path() / "a.vert",
            "#version 330 core\nvoid main() { gl_Position = vec4(0.0); }\n");
  // Declared but defined in neither stage: compiles, fails to link.
  WriteFile(temp.path() / "b.frag",
            "#version 330 core\nvec4 Helper();\nout vec4 o;\nvoid main() { o = Helper(); }\n");
  auto built = BuildProgram(temp.path().string(), {"a.vert", "b.frag", {}});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().message.find("a.vert"), std::string::npos) << built.error().message;
  EXPECT_NE(built.error().message.find("b.frag"), std::string::npos) << built.error().message;
  EXPECT_NE(built.error().message.find("Helper"), std::string::npos) << built.error().message;
}

// A reloadable program of the bundled vertex stage and a good live.frag in `temp`.
void StartLiveProgram(const TempDir& temp, std::optional<ReloadableProgram>& program) {
  fs::copy_file(fs::path(SourceShaderDir()) / "fullscreen.vert", temp.path() / "fullscreen.vert");
  WriteFile(temp.path() / "live.frag", kGoodFragment);
  auto created =
      ReloadableProgram::Create(temp.path().string(), {"fullscreen.vert", "live.frag", {}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  program.emplace(std::move(created).value());
}

TEST_F(ShaderFiles, HotReloadSwapsOnAGoodEditAndKeepsTheLastGoodProgramOnABrokenOne) {
  TempDir temp;
  const fs::path frag = temp.path() / "live.frag";
  std::optional<ReloadableProgram> program;
  ASSERT_NO_FATAL_FAILURE(StartLiveProgram(temp, program));
  program->set_check_interval(std::chrono::milliseconds(0));
  const GLuint first = program->id();
  EXPECT_FALSE(program->ReloadIfChanged());  // nothing changed

  const auto bump_mtime = [&frag] {
    fs::last_write_time(frag, fs::last_write_time(frag) + std::chrono::seconds(1));
  };
  WriteFile(frag, kBrokenFragment);
  bump_mtime();
  EXPECT_FALSE(program->ReloadIfChanged());
  EXPECT_EQ(program->id(), first);
  EXPECT_TRUE(glIsProgram(program->id()));
  EXPECT_NE(program->last_error().find("live.frag"), std::string::npos) << program->last_error();
  EXPECT_NE(program->last_error().find("undefined_thing"), std::string::npos);

  WriteFile(frag, "#version 330 core\nout vec4 o_color;\nvoid main() { o_color = vec4(0.5); }\n");
  bump_mtime();
  EXPECT_TRUE(program->ReloadIfChanged());
  EXPECT_NE(program->id(), 0u);
  EXPECT_TRUE(program->last_error().empty()) << program->last_error();
}

TEST_F(ShaderFiles, HotReloadChecksFilesOnlyAfterItsInterval) {
  TempDir temp;
  const fs::path frag = temp.path() / "live.frag";
  std::optional<ReloadableProgram> program;
  ASSERT_NO_FATAL_FAILURE(StartLiveProgram(temp, program));
  program->set_check_interval(std::chrono::hours(1));
  fs::last_write_time(frag, fs::last_write_time(frag) + std::chrono::seconds(1));
  EXPECT_FALSE(program->ReloadIfChanged());
  program->set_check_interval(std::chrono::milliseconds(0));
  EXPECT_TRUE(program->ReloadIfChanged());
}

}  // namespace
}  // namespace fw::render
