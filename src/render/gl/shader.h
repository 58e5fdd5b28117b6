// Shader files: finding the shader directory, reading a stage with its #includes and injected
// #defines, compiling and linking with the whole info log and the file names in every error.
// Main thread only (the file helpers touch no GL and may run anywhere).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "render/gl/handle.h"

namespace fw::render {

struct ShaderDefine {
  std::string name;
  std::string value;
};

// One stage's text as handed to the compiler, and every file it was read from: files[i] is
// GLSL source-string number i in the compiler's log ("1:12(5): error ..." is files[1], line 12).
struct ShaderText {
  std::string text;
  std::vector<std::string> files;  // full paths; files[0] is the stage file itself
};

// A program made of one vertex and one fragment stage, both read from the shader directory.
struct ProgramSpec {
  std::string vertex;                 // file name, e.g. "fullscreen.vert"
  std::string fragment;               // file name, e.g. "warp.frag"
  std::vector<ShaderDefine> defines;  // injected into both stages, after #version
};

struct BuiltProgram {
  GlProgram program;
  std::vector<std::string> files;  // every file read, for change detection
};

// The shader directory: $FACEWARP_SHADER_DIR if set, else the first of
// <exe dir>/../share/facewarp/shaders, <exe dir>/shaders, FACEWARP_SOURCE_DIR/shaders that holds
// warp.frag. The error names every directory tried.
core::Result<std::string> FindShaderDir();

// Reads dir/name. A line `#include "file.glsl"` is replaced by dir/file.glsl (each file once
// per stage; nested includes allowed); `#line` directives keep the log's line numbers true to
// the files. The defines are inserted right after the stage's #version line.
core::Result<ShaderText> LoadShaderText(const std::string& dir, const std::string& name,
                                        const std::vector<ShaderDefine>& defines);

// Errors carry the stage file's path, the include legend and the compiler's whole log.
core::Result<GlShader> CompileShader(GLenum stage, const ShaderText& text);
// Errors carry both stage paths and the linker's whole log.
core::Result<GlProgram> LinkProgram(const GlShader& vertex, const GlShader& fragment,
                                    const std::string& label);

core::Result<BuiltProgram> BuildProgram(const std::string& dir, const ProgramSpec& spec);

}  // namespace fw::render
