// Output files: exclusive temporaries in a private directory, renamed only when committed;
// targets that are not regular files (links, FIFOs, device nodes) written in place, never
// replaced; files named from a pattern, moved out of a private directory when committed.
#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/io_test_support.h"

namespace fw::core {
namespace {

using ::testing::HasSubstr;

TEST(PendingFile, WritesIntoAPrivateExclusiveTemporaryAndRenamesOnCommit) {
  iotest::TempDir dir;
  const std::string target = dir.File("out.json");
  auto file = PendingFile::Create(target);
  ASSERT_TRUE(file.ok()) << file.error().message;
  const std::filesystem::path temp(file->temp_path());
  EXPECT_EQ(temp.extension(), ".json");
  struct stat st;
  ASSERT_EQ(lstat(temp.parent_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the temporary's directory is private";
  EXPECT_EQ(temp.parent_path().parent_path(), std::filesystem::path(dir.path()));
  EXPECT_FALSE(std::filesystem::exists(target));

  ASSERT_TRUE(file->Write("{}\n").ok());
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(iotest::ReadBytes(target), "{}\n");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.json"});
}

TEST(PendingFile, TemporaryDirectoriesHaveFreshUnpredictableNames) {
  iotest::TempDir dir;
  auto a = PendingFile::Create(dir.File("a.txt"));
  auto b = PendingFile::Create(dir.File("a.txt"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->temp_path(), b->temp_path());
}

TEST(PendingFile, DiscardedOrDestroyedLeavesNothing) {
  iotest::TempDir dir;
  {
    auto file = PendingFile::Create(dir.File("x.y4m"));
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write("partial").ok());
  }
  auto file = PendingFile::Create(dir.File("y.y4m"));
  ASSERT_TRUE(file.ok());
  file->Discard();
  EXPECT_TRUE(dir.List().empty());
}

TEST(PendingFile, ALinkAtTheTargetIsWrittenThroughAndStaysALink) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("real.json"), "old contents that are longer");
  std::filesystem::create_symlink("real.json", dir.File("link.json"));
  ASSERT_TRUE(WriteFileAtomically(dir.File("link.json"), "new").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(dir.File("link.json")));
  EXPECT_EQ(iotest::ReadBytes(dir.File("real.json")), "new");
}

TEST(PendingFile, AFifoAtTheTargetIsWrittenInPlace) {
  iotest::TempDir dir;
  const std::string fifo = dir.File("stats.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  ASSERT_TRUE(WriteFileAtomically(fifo, "hello").ok());
  char buffer[16] = {0};
  EXPECT_EQ(read(reader, buffer, sizeof(buffer)), 5);
  EXPECT_EQ(std::string(buffer), "hello");
  close(reader);
  struct stat st;
  ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

// /dev/stdout redirected to a file that already holds output (--landmarks -): appended to.
TEST(PendingFile, OneOfOurOwnDescriptorsIsAppendedTo) {
  iotest::TempDir dir;
  const std::string path = dir.File("redirected.txt");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "landmarks\n", 10), 10);
  ASSERT_TRUE(WriteFileAtomically("/dev/fd/" + std::to_string(fd), "stats\n").ok());
  close(fd);
  EXPECT_EQ(iotest::ReadBytes(path), "landmarks\nstats\n");
}

TEST(PendingFile, AFifoWithoutReaderIsRefusedAtOnce) {
  iotest::TempDir dir;
  const std::string fifo = dir.File("nobody.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto file = PendingFile::Create(fifo);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().message, "cannot write " + fifo + ": no process is reading it");
}

TEST(PendingFile, AFullDeviceIsAnErrorAndStaysADevice) {
  struct stat st;
  if (stat("/dev/full", &st) != 0 || access("/dev/full", W_OK) != 0) {
    GTEST_SKIP() << "/dev/full is not writable here";
  }
  const Status s = WriteFileAtomically("/dev/full", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "cannot write to /dev/full: No space left on device");
  ASSERT_EQ(stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(PendingFile, ALongTargetNameStillFitsItsTemporary) {
  iotest::TempDir dir;
  const std::string name = std::string(246, 'n') + ".mp4";  // 250 bytes, the limit is 255
  ASSERT_TRUE(WriteFileAtomically(dir.File(name), "data").ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{name});
}

TEST(PendingFile, MissingDirectoryAndDirectoryTargetAreOneLineErrors) {
  iotest::TempDir dir;
  auto missing = PendingFile::Create(dir.File("no/such/x.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("does not exist"));
  auto directory = PendingFile::Create(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_THAT(directory.error().message, HasSubstr("it is a directory"));
}

// Files a writer names from a pattern (GStreamer's multifilesink, splitmuxsink).
void WriteInto(const std::string& path, const std::string& bytes) { std::ofstream(path) << bytes; }

TEST(PendingFileSet, FilesWrittenToThePrivatePatternAppearOnlyWhenCommitted) {
  iotest::TempDir dir;
  WriteInto(dir.File("f001.png"), "old");  // replaced by the run's file of that name
  auto set = PendingFileSet::Create(dir.File("f%03d.png"));
  ASSERT_TRUE(set.ok()) << set.error().message;
  const std::filesystem::path temp(set->temp_pattern());
  EXPECT_EQ(temp.filename(), "f%03d.png");
  struct stat st;
  ASSERT_EQ(lstat(temp.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the files' directory is private";
  EXPECT_EQ(temp.parent_path().parent_path(), std::filesystem::path(dir.path()));
  for (int i = 0; i < 3; ++i) {
    char name[4096];
    std::snprintf(name, sizeof(name), set->temp_pattern().c_str(), i);
    WriteInto(name, "frame " + std::to_string(i));
  }
  EXPECT_EQ(dir.List().size(), 2u) << "the old file and the private directory, nothing more";
  ASSERT_TRUE(set->Commit().ok());
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"f000.png", "f001.png", "f002.png"}));
  EXPECT_EQ(iotest::ReadBytes(dir.File("f001.png")), "frame 1");
}

TEST(PendingFileSet, DiscardedOrDestroyedLeavesNothing) {
  iotest::TempDir dir;
  {
    auto set = PendingFileSet::Create(dir.File("v%02d.mp4"));
    ASSERT_TRUE(set.ok());
    char name[4096];
    std::snprintf(name, sizeof(name), set->temp_pattern().c_str(), 0);
    WriteInto(name, "partial");
  }
  auto set = PendingFileSet::Create(dir.File("w%02d.mp4"));
  ASSERT_TRUE(set.ok());
  set->Discard();
  EXPECT_TRUE(dir.List().empty());
}

TEST(PendingFileSet, AMissingDirectoryOrAVaryingDirectoryIsOneLineError) {
  iotest::TempDir dir;
  auto missing = PendingFileSet::Create(dir.File("no/f%03d.png"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("does not exist"));
  auto varying = PendingFileSet::Create(dir.File("d%02d/f.png"));
  ASSERT_FALSE(varying.ok());
  EXPECT_THAT(varying.error().message, HasSubstr("only the file name may vary"));
  EXPECT_TRUE(dir.List().empty());
}

}  // namespace
}  // namespace fw::core
