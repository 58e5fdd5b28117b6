// Every kind of bad input in one table: the binary must answer with exactly one line
// "facewarp: error: ..." naming the problem, the documented exit status (2 usage, 1 runtime),
// no hang, and nothing left in the working directory (no output, no temporary file).
// Runs on the release build and the ASan/UBSan build (scripts/test).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "support/io_test_support.h"
#include "support/run_facewarp.h"

namespace fw {
namespace {

using iotest::Asset;

struct BadInput {
  const char* name;  // the test's name
  // Makes the inputs the case needs in `dir` (empty: none).
  std::function<void(const std::string& dir)> setup;
  // "{in}" is replaced by the inputs directory, "{asset}" by assets/.
  std::vector<std::string> args;
  int exit_code;
  std::string fragment;  // must appear in the error line
};

// Test names and failure messages show the case's name, not its bytes.
void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

std::string Expand(std::string arg, const std::string& in) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"{in}", in}, {"{asset}", Asset("")}}) {
    for (size_t at; (at = arg.find(key)) != std::string::npos;) arg.replace(at, key.size(), value);
  }
  return arg;
}

std::string Bytes(const std::string& path) { return iotest::ReadBytes(path); }
void Write(const std::string& path, const std::string& bytes) { iotest::WriteBytes(path, bytes); }

// The top right corner of the astronaut photo (the shuttle): a real picture without a face.
cv::Mat Shuttle() { return cv::imread(Asset("astronaut.png"))(cv::Rect(352, 0, 160, 240)).clone(); }

std::string Flipped(std::string bytes, size_t at) {
  bytes[at] = static_cast<char>(~bytes[at]);
  return bytes;
}

const std::vector<BadInput>& Cases() {
  static const std::vector<BadInput> cases = {
      // Inputs that are missing, empty or not files.
      {"MissingInputFile",
       {},
       {"--input", "nope.mp4", "--output", "out.mp4"},
       1,
       "nope.mp4: no such file"},
      {"EmptyInputFile",
       [](const std::string& d) { Write(d + "/empty.mp4", ""); },
       {"--input", "{in}/empty.mp4", "--output", "out.mp4"},
       1,
       "the file is empty"},
      {"DirectoryAsInput", {}, {"--input", "{in}", "--output", "out.mp4"}, 1, "it is a directory"},
      {"DeviceThatIsNotACamera",
       {},
       {"--input", "/dev/null", "--output", "out.mp4"},
       1,
       "/dev/null is not a camera"},
      // Names that FFmpeg would read as protocols, URLs or patterns: files, and missing.
      {"ConcatProtocolIsNotAProtocol",
       {},
       {"--input", "concat:{asset}/group1.jpg|{asset}/group3.jpg", "--output", "out.png"},
       1,
       "no such file"},
      {"UrlIsNotFetched",
       {},
       {"--input", "http://127.0.0.1:9/clip.mp4", "--output", "out.mp4"},
       1,
       "no such file"},
      {"ImageSequencePatternIsNotExpanded",
       [](const std::string& d) {
         Write(d + "/frame01.jpg", Bytes(Asset("group1.jpg")));
         Write(d + "/frame02.jpg", Bytes(Asset("group1.jpg")));
       },
       {"--input", "{in}/frame%02d.jpg", "--output", "out.mp4"},
       1,
       "frame%02d.jpg: no such file"},
      {"ImageSequencePatternInAnExistingNameIsReadLiterally",
       [](const std::string& d) {
         Write(d + "/frame01.jpg", Bytes(Asset("group1.jpg")));
         Write(d + "/frame02.jpg", Bytes(Asset("group1.jpg")));
         Write(d + "/frame%02d.jpg", "not a picture, and not a pattern\n");
       },
       {"--input", "{in}/frame%02d.jpg", "--output", "out.mp4"},
       1,
       "frame%02d.jpg: not a readable video"},
      {"ListFormatsThatOpenOtherFilesAreRefused",
       [](const std::string& d) {
         Write(d + "/clip.mp4", Bytes(Asset(iotest::kClip512)));
         Write(d + "/list.ffconcat", "ffconcat version 1.0\nfile clip.mp4\n");
       },
       {"--input", "{in}/list.ffconcat", "--output", "out.mp4"},
       1,
       "list.ffconcat: not a readable video"},
      {"ControlCharactersInANameStayOnOneLine",
       {},
       {"--input", "bad\nname\x1b[2J.mp4", "--output", "out.mp4"},
       1,
       "bad\\nname\\x1b[2J.mp4"},
      // Damaged files.
      {"RandomBytesNamedMp4",
       [](const std::string& d) { Write(d + "/noise.mp4", std::string(4096, '\x5a')); },
       {"--input", "{in}/noise.mp4", "--output", "out.mp4"},
       1,
       "noise.mp4"},
      {"TextNamedPng",
       [](const std::string& d) { Write(d + "/text.png", "this is not a picture\n"); },
       {"--input", "{in}/text.png", "--output", "out.png"},
       1,
       "text.png"},
      {"Mp4CutAfter3000Bytes",
       [](const std::string& d) {
         Write(d + "/truncated.mp4", iotest::ReadBytes(Asset(iotest::kClip512), 3000));
       },
       {"--input", "{in}/truncated.mp4", "--output", "out.mp4"},
       1,
       "truncated.mp4"},
      {"JpegTruncatedAtHalf",
       [](const std::string& d) {
         const std::string jpeg = Bytes(Asset("group3.jpg"));
         Write(d + "/half.jpg", jpeg.substr(0, jpeg.size() / 2));
       },
       {"--input", "{in}/half.jpg", "--output", "out.jpg"},
       1,
       "Premature end of JPEG file"},
      {"JpegWithAFlippedByte",
       [](const std::string& d) {
         // A flip that breaks the entropy-coded data (see image_decode_test.cpp).
         const std::string jpeg = Bytes(Asset("group1.jpg"));
         Write(d + "/flipped.jpg", Flipped(jpeg, jpeg.size() / 2));
       },
       {"--input", "{in}/flipped.jpg", "--output", "out.jpg"},
       1,
       "truncated or corrupt"},
      {"PngWithACrcError",
       [](const std::string& d) {
         // The data intact, the first IDAT chunk's checksum wrong.
         const std::string png = Bytes(Asset("astronaut.png"));
         const size_t type = png.find("IDAT");
         const auto length = static_cast<size_t>(static_cast<uint8_t>(png[type - 4])) << 24 |
                             static_cast<size_t>(static_cast<uint8_t>(png[type - 3])) << 16 |
                             static_cast<size_t>(static_cast<uint8_t>(png[type - 2])) << 8 |
                             static_cast<uint8_t>(png[type - 1]);
         Write(d + "/crc.png", Flipped(png, type + 4 + length + 3));
       },
       {"--input", "{in}/crc.png", "--output", "out.png"},
       1,
       "IDAT: CRC error"},
      // No face, when --require-face asks for one.
      {"PhotoWithoutFacesWhenOneIsRequired",
       [](const std::string& d) { cv::imwrite(d + "/shuttle.png", Shuttle()); },
       {"--input", "{in}/shuttle.png", "--output", "out.png", "--require-face"},
       1,
       "no face found"},
      {"VideoWithoutFacesWhenOneIsRequired",
       [](const std::string& d) {
         cv::imwrite(d + "/shuttle.png", Shuttle());
         iotest::RunCommand("ffmpeg -v error -loop 1 -i '" + d +
                            "/shuttle.png' -vf format=yuv420p "
                            "-frames:v 20 -r 30 '" +
                            d + "/shuttle.mp4'");
       },
       {"--input", "{in}/shuttle.mp4", "--output", "out.mp4", "--landmarks", "l.jsonl", "--stats",
        "s.json", "--require-face"},
       1,
       "no face found"},
      // Bounded reads.
      {"PresetFromDevZero",
       {},
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--preset", "/dev/zero"},
       1,
       "/dev/zero: not a regular file"},
      {"PresetFromAFifoDoesNotHang",
       [](const std::string& d) { mkfifo((d + "/preset.json").c_str(), 0600); },
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--preset", "{in}/preset.json"},
       1,
       "not a regular file"},
      {"PresetOverTheSizeLimit",
       [](const std::string& d) {
         Write(d + "/big.json",
               "{\"facewarp_preset\": 1, \"params\": {}}" + std::string(2 << 20, ' '));
       },
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--preset", "{in}/big.json"},
       1,
       "more than the limit of 1 MiB"},
      {"ModelFromDevZero",
       {},
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--model", "/dev/zero"},
       1,
       "libdlib-data"},
      {"AbsentModel",
       {},
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--model", "{in}/absent.dat"},
       1,
       "libdlib-data"},
      {"DamagedModel",
       [](const std::string& d) { Write(d + "/broken.dat", std::string(100000, '\x01')); },
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--model", "{in}/broken.dat"},
       1,
       "libdlib-data"},
      // Numbers: plain decimal, no whitespace, readable ranges.
      {"FramesZero",
       {},
       {"--input", "{asset}/astronaut.png", "--frames", "0"},
       2,
       "--frames needs a whole number from 1 to 9223372036854775807, got '0'"},
      {"FramesTooLarge",
       {},
       {"--input", "{asset}/astronaut.png", "--frames", "99999999999999999999"},
       2,
       "got '99999999999999999999'"},
      {"FramesInHex", {}, {"--input", "{asset}/astronaut.png", "--frames", "0x1"}, 2, "got '0x1'"},
      {"FramesWithLeadingSpace",
       {},
       {"--input", "{asset}/astronaut.png", "--frames", " 1"},
       2,
       "got ' 1'"},
      {"FramesWithTrailingSpace",
       {},
       {"--input", "{asset}/astronaut.png", "--frames", "1 "},
       2,
       "got '1 '"},
      {"FramesWithAnExponent",
       {},
       {"--input", "{asset}/astronaut.png", "--frames", "1e3"},
       2,
       "got '1e3'"},
      {"ParameterInHex",
       {},
       {"--input", "{asset}/astronaut.png", "--set", "thin=0x1"},
       2,
       "parameter 'thin' needs a number, got '0x1'"},
      {"ParameterWithLeadingSpace",
       {},
       {"--input", "{asset}/astronaut.png", "--set", "thin= 1"},
       2,
       "needs a number, got ' 1'"},
      {"ParameterWithTrailingSpace",
       {},
       {"--input", "{asset}/astronaut.png", "--set", "thin=1 "},
       2,
       "needs a number, got '1 '"},
      {"ParameterInfinite",
       {},
       {"--input", "{asset}/astronaut.png", "--set", "thin=inf"},
       2,
       "needs a number, got 'inf'"},
      {"UnknownParameterListsTheValidKeys",
       {},
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--set", "chin=2"},
       2,
       "thin_radius"},
      {"OutOfRangeValueGivesTheRange",
       {},
       {"--input", "{asset}/astronaut.png", "--output", "out.png", "--set", "eyes=7"},
       2,
       "valid range is [0, 0.6]"},
      {"UnknownOption", {}, {"--input", "x.png", "--slim", "3"}, 2, "--slim"},
      {"UnknownBackend", {}, {"--input", "x.png", "--backend", "metal"}, 2, "backend"},
      // Outputs that cannot be written.
      {"OutputInAMissingDirectory",
       {},
       {"--input", "{asset}/" + std::string(iotest::kClip512), "--output", "no/such/dir/out.mp4"},
       1,
       "no/such/dir"},
      {"OutputOfAnUnknownType",
       {},
       {"--input", "{asset}/" + std::string(iotest::kClip512), "--output", "out.gif"},
       2,
       "out.gif"},
      {"ImageOutputForAVideo",
       {},
       {"--input", "{asset}/" + std::string(iotest::kClip512), "--output", "still.png"},
       2,
       "still.png"},
      {"VirtualCameraOnARegularFile",
       [](const std::string& d) { Write(d + "/not-a-device", "x"); },
       {"--headless", "--input", "{asset}/astronaut.png", "--output", "v4l2:{in}/not-a-device"},
       1,
       "not-a-device"},
  };
  return cases;
}

class BadInputSuite : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputSuite, OneErrorLineTheDocumentedExitStatusAndNothingLeft) {
  const BadInput& c = GetParam();
  iotest::TempDir inputs, work, capture;
  if (c.setup) c.setup(inputs.path());
  std::vector<std::string> args;
  for (const std::string& a : c.args) args.push_back(Expand(a, inputs.path()));
  if (std::find(args.begin(), args.end(), "--backend") == args.end()) {
    args.insert(args.end(), {"--backend", "cpu"});
  }

  const iotest::FacewarpRun run = iotest::RunFacewarp(work.path(), args, capture.path(), 120);
  EXPECT_EQ(run.exit_code, c.exit_code);
  ASSERT_EQ(run.err_lines.size(), 1u) << "stderr:\n" << testing::PrintToString(run.err_lines);
  EXPECT_EQ(run.err_lines[0].rfind("facewarp: error: ", 0), 0u) << run.err_lines[0];
  EXPECT_NE(run.err_lines[0].find(c.fragment), std::string::npos) << run.err_lines[0];
  EXPECT_LT(run.err_lines[0].size(), 1200u) << "an error line a person can read";
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(work.List().empty()) << "left behind: " << work.List().front();
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputSuite, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) {
                           return std::string(param_info.param.name);
                         });

// The pixel limit acts on the header: a 30000x30000 PNG (under 1 MB of zeros compressed) is
// refused at once instead of decoded into 2.7 GB.
TEST(BadInputLimits, AHugeImageIsRefusedFromItsHeaderWithoutItsMemory) {
  if (!iotest::HaveProgram("python3")) GTEST_SKIP() << "python3 not installed";
  iotest::TempDir inputs, work, capture;
  const std::string png = inputs.File("huge.png");
  const std::string make =
      "python3 -c 'import struct, zlib, sys\n"
      "w = h = 30000\n"
      "def chunk(t, d): return struct.pack(\">I\", len(d)) + t + d + struct.pack(\">I\", "
      "zlib.crc32(t + d))\n"
      "z = zlib.compressobj(9)\n"
      "row = bytes(w + 1)\n"
      "idat = b\"\".join(z.compress(row) for _ in range(h)) + z.flush()\n"
      "sys.stdout.buffer.write(b\"\\x89PNG\\r\\n\\x1a\\n\" + chunk(b\"IHDR\", "
      "struct.pack(\">IIBBBBB\", w, h, 8, 0, "
      "0, 0, 0)) + chunk(b\"IDAT\", idat) + chunk(b\"IEND\", b\"\"))' > '" +
      png + "'";
  ASSERT_EQ(iotest::RunCommand(make).exit_code, 0);
  struct stat st {};
  ASSERT_EQ(stat(png.c_str(), &st), 0);
  std::printf("  the 30000x30000 PNG is %.2f MB\n", st.st_size / 1e6);

  const iotest::FacewarpRun run = iotest::RunFacewarp(
      work.path(), {"--input", png, "--output", "out.png", "--backend", "cpu"}, capture.path());
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.err_lines.size(), 1u) << testing::PrintToString(run.err_lines);
  EXPECT_NE(run.err_lines[0].find("30000x30000 pixels (900 megapixels) is more than the limit of "
                                  "100 megapixels"),
            std::string::npos)
      << run.err_lines[0];
  std::printf("  peak RSS of the refusing run: %ld MB\n", run.max_rss_kb / 1024);
  // Decoding would take 2.7 GB (BGR) and more; the refusal stays well under a tenth of that.
  EXPECT_LT(run.max_rss_kb, 256 * 1024);
  EXPECT_TRUE(work.List().empty());
}

}  // namespace
}  // namespace fw
