// Shader loading, compiling and linking. Main thread only for the GL parts.
#include "render/gl/shader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/data_dir.h"

namespace fw::render {

namespace fs = std::filesystem;

namespace {

constexpr char kMarkerFile[] = "warp.frag";
constexpr int kMaxIncludeDepth = 16;

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

// The quoted name of an `#include "name"` line, or "" for any other line.
std::string IncludeTarget(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line.compare(i, 8, "#include") != 0) return "";
  const size_t open = line.find('"', i + 8);
  const size_t close = open == std::string::npos ? open : line.find('"', open + 1);
  if (close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

struct IncludeState {
  const std::string& dir;
  ShaderText& out;
};

core::Status AppendFile(IncludeState& state, const std::string& name, int depth,
                        const std::string& included_from,
                        const std::vector<ShaderDefine>* defines) {
  const std::string path = (fs::path(state.dir) / name).string();
  if (depth > kMaxIncludeDepth) {
    return core::Error::Runtime("shader includes nested too deep at " + path + " (included from " +
                                included_from + ")");
  }
  std::string source;
  if (!ReadFile(path, source)) {
    std::string msg = "cannot read shader file " + path;
    if (!included_from.empty()) msg += " (included from " + included_from + ")";
    return core::Error::Runtime(msg + "; set FACEWARP_SHADER_DIR to the shaders/ directory");
  }
  const int file_index = static_cast<int>(state.out.files.size());
  state.out.files.push_back(path);
  if (depth > 0) state.out.text += "#line 1 " + std::to_string(file_index) + "\n";

  std::istringstream lines(source);
  std::string line;
  int line_number = 0;
  bool defines_pending = defines != nullptr;
  while (std::getline(lines, line)) {
    ++line_number;
    const std::string target = IncludeTarget(line);
    if (target.empty()) {
      state.out.text += line;
      state.out.text += '\n';
    } else {
      const std::string target_path = (fs::path(state.dir) / target).string();
      const auto& files = state.out.files;
      if (std::find(files.begin(), files.end(), target_path) == files.end()) {
        FW_RETURN_IF_ERROR(AppendFile(state, target, depth + 1,
                                      path + ":" + std::to_string(line_number), nullptr));
      }
      state.out.text +=
          "#line " + std::to_string(line_number + 1) + " " + std::to_string(file_index) + "\n";
    }
    if (defines_pending && line.find("#version") != std::string::npos) {
      for (const ShaderDefine& d : *defines) {
        state.out.text += "#define " + d.name + " " + d.value + "\n";
      }
      state.out.text += "#line " + std::to_string(line_number + 1) + " 0\n";
      defines_pending = false;
    }
  }
  if (defines_pending) {
    return core::Error::Runtime("shader file " + path + " has no #version line");
  }
  return core::Status::Ok();
}

// The info log of a shader (glGetShaderiv + glGetShaderInfoLog) or a program
// (glGetProgramiv + glGetProgramInfoLog), whole; "" when there is none.
using GetIv = void (*)(GLuint, GLenum, GLint*);
using GetInfoLog = void (*)(GLuint, GLsizei, GLsizei*, GLchar*);
std::string InfoLog(GLuint object, GetIv get_iv, GetInfoLog get_log) {
  GLint length = 0;
  get_iv(object, GL_INFO_LOG_LENGTH, &length);
  if (length <= 1) return "";
  std::string log(static_cast<size_t>(length), '\0');
  GLsizei written = 0;
  get_log(object, length, &written, log.data());
  log.resize(static_cast<size_t>(std::clamp<GLsizei>(written, 0, length)));
  return log;
}

// A log that comes with success (warnings), said once on one line per message.
void WarnLog(const std::string& what, std::string log) {
  while (!log.empty() && std::isspace(static_cast<unsigned char>(log.back())) != 0) log.pop_back();
  if (!log.empty()) spdlog::warn("{}: {}", what, log);
}

std::string ShaderLog(GLuint shader) { return InfoLog(shader, glGetShaderiv, glGetShaderInfoLog); }
std::string ProgramLog(GLuint program) {
  return InfoLog(program, glGetProgramiv, glGetProgramInfoLog);
}

const char* StageName(GLenum stage) {
  switch (stage) {
    case GL_VERTEX_SHADER:
      return "vertex";
    case GL_FRAGMENT_SHADER:
      return "fragment";
    default:
      return "";
  }
}

}  // namespace

core::Result<std::string> FindShaderDir() {
  if (const char* env = std::getenv("FACEWARP_SHADER_DIR"); env != nullptr && *env != '\0') {
    if (fs::exists(fs::path(env) / kMarkerFile)) return std::string(env);
    return core::Error::Runtime(std::string("FACEWARP_SHADER_DIR=") + env + " holds no " +
                                kMarkerFile + "; point it at facewarp's shaders/ directory");
  }
  std::string tried;
  for (const std::string& dir : core::DataDirs("shaders")) {
    std::error_code ec;
    if (fs::exists(fs::path(dir) / kMarkerFile, ec)) return dir;
    tried += (tried.empty() ? "" : ", ") + dir;
  }
  return core::Error::Runtime("cannot find facewarp's shaders (tried " + tried +
                              "); reinstall facewarp or set FACEWARP_SHADER_DIR");
}

core::Result<ShaderText> LoadShaderText(const std::string& dir, const std::string& name,
                                        const std::vector<ShaderDefine>& defines) {
  ShaderText text;
  IncludeState state{dir, text};
  FW_RETURN_IF_ERROR(AppendFile(state, name, 0, "", &defines));
  return text;
}

core::Result<GlShader> CompileShader(GLenum stage, const ShaderText& text) {
  GlShader shader = GlShader::Create(stage);
  const char* source = text.text.c_str();
  glShaderSource(shader.id(), 1, &source, nullptr);
  glCompileShader(shader.id());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &ok);
  const std::string log = ShaderLog(shader.id());
  if (ok == GL_TRUE) {
    // A shader that compiles may still have a log (warnings): said once, when it is built.
    WarnLog(std::string(StageName(stage)) + " shader " +
                (text.files.empty() ? std::string("<no file>") : text.files[0]),
            log);
    return shader;
  }

  const std::string file = text.files.empty() ? std::string("<no file>") : text.files[0];
  std::string msg = "cannot compile " + std::string(StageName(stage)) + " shader " + file;
  if (text.files.size() > 1) {
    msg += " (log source numbers: 0 = " + file;
    for (size_t i = 1; i < text.files.size(); ++i) {
      msg += ", " + std::to_string(i) + " = " + text.files[i];
    }
    msg += ")";
  }
  return core::Error::Runtime(msg + ":\n" + log);
}

core::Result<GlProgram> LinkProgram(const GlShader& vertex, const GlShader& fragment,
                                    const std::string& label) {
  GlProgram program = GlProgram::Create();
  glAttachShader(program.id(), vertex.id());
  glAttachShader(program.id(), fragment.id());
  glLinkProgram(program.id());
  glDetachShader(program.id(), vertex.id());
  glDetachShader(program.id(), fragment.id());
  GLint ok = GL_FALSE;
  glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
  const std::string log = ProgramLog(program.id());
  if (ok == GL_TRUE) {
    WarnLog("shader program " + label, log);
    return program;
  }
  return core::Error::Runtime("cannot link shader program " + label + ":\n" + log);
}

core::Result<BuiltProgram> BuildProgram(const std::string& dir, const ProgramSpec& spec) {
  FW_ASSIGN_OR_RETURN(const ShaderText vertex_text, LoadShaderText(dir, spec.vertex, spec.defines));
  FW_ASSIGN_OR_RETURN(const ShaderText fragment_text,
                      LoadShaderText(dir, spec.fragment, spec.defines));
  FW_ASSIGN_OR_RETURN(const GlShader vertex, CompileShader(GL_VERTEX_SHADER, vertex_text));
  FW_ASSIGN_OR_RETURN(const GlShader fragment, CompileShader(GL_FRAGMENT_SHADER, fragment_text));
  const std::string label = vertex_text.files[0] + " + " + fragment_text.files[0];
  FW_ASSIGN_OR_RETURN(GlProgram program, LinkProgram(vertex, fragment, label));

  BuiltProgram built{std::move(program), vertex_text.files};
  for (const std::string& f : fragment_text.files) {
    if (std::find(built.files.begin(), built.files.end(), f) == built.files.end()) {
      built.files.push_back(f);
    }
  }
  return built;
}

}  // namespace fw::render
