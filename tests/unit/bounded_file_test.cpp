// Bounded reads: only regular files within the limit are read; /dev/zero, FIFOs and
// directories are refused at once (no hang, no unbounded allocation).
#include "core/bounded_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "support/io_test_support.h"

namespace fw::core {
namespace {

TEST(BoundedFile, ReadsARegularFileWithinTheLimit) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("p.json"), "{\"params\": {}}");
  auto text = ReadBoundedFile(dir.File("p.json"), "preset", 100);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "{\"params\": {}}");
}

TEST(BoundedFile, RefusesAFileOverTheLimitSayingBothSizes) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("big.json"), std::string(3 << 20, ' '));
  auto text = ReadBoundedFile(dir.File("big.json"), "preset", kMaxPresetBytes);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "cannot read preset " + dir.File("big.json") +
                                      ": the file is 3 MiB, more than the limit of 1 MiB");
}

TEST(BoundedFile, RefusesDevZeroAFifoAndADirectoryWithoutBlocking) {
  iotest::TempDir dir;
  ASSERT_EQ(mkfifo(dir.File("fifo").c_str(), 0600), 0);
  for (const std::string& path : {std::string("/dev/zero"), dir.File("fifo")}) {
    auto text = ReadBoundedFile(path, "preset", kMaxPresetBytes);
    ASSERT_FALSE(text.ok()) << path;
    EXPECT_NE(text.error().message.find("not a regular file"), std::string::npos)
        << text.error().message;
    EXPECT_FALSE(CheckBoundedRegularFile(path, "model", kMaxModelBytes).ok()) << path;
  }
  auto text = ReadBoundedFile(dir.path(), "preset", kMaxPresetBytes);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("directory"), std::string::npos);
}

TEST(BoundedFile, MissingFileSaysSo) {
  auto text = ReadBoundedFile("/nonexistent/p.json", "preset", 100);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "cannot read preset /nonexistent/p.json: no such file");
}

TEST(BoundedFile, SizesReadAsPeopleWriteThem) {
  EXPECT_EQ(FormatBytes(512), "512 bytes");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(200ull << 20), "200 MiB");
  EXPECT_EQ(FormatBytes(3ull << 30), "3 GiB");
}

}  // namespace
}  // namespace fw::core
