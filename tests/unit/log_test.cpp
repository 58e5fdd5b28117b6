// The error printer and the logger escape control characters, so a file name holding a
// newline cannot split an error into two lines.
#include "core/log.h"

#include <gtest/gtest.h>

#include <string>

namespace fw::core {
namespace {

TEST(Log, ControlCharactersAreEscapedAndTheRestKept) {
  EXPECT_EQ(EscapeControlCharacters("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(EscapeControlCharacters(std::string("x\0y\x1b[31m\x7f", 9)), "x\\x00y\\x1b[31m\\x7f");
  EXPECT_EQ(EscapeControlCharacters("caf\xc3\xa9 C:\\dir"), "caf\xc3\xa9 C:\\dir");
}

TEST(Log, AnErrorIsExactlyOneLineOnStderr) {
  testing::internal::CaptureStderr();
  PrintError(Error::Runtime("cannot open input evil\nfacewarp: error: forged"));
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "facewarp: error: cannot open input evil\\nfacewarp: error: forged\n");
}

TEST(Log, LoggedLinesAreEscapedToo) {
  InitLogging("warn");
  testing::internal::CaptureStderr();
  spdlog::warn("ended early: {}", "clip\nname.mp4");
  spdlog::info("not shown at warn level");
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "facewarp: warning: ended early: clip\\nname.mp4\n");
}

}  // namespace
}  // namespace fw::core
