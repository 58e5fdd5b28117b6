// The pure parts of the HTTP layer: base64, image headers and their limits, listen addresses,
// and parameter updates over JSON with --set's messages.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/params.h"
#include "net/base64.h"
#include "net/http_common.h"
#include "net/image_codec.h"
#include "net/param_json.h"

namespace fw::net {
namespace {

std::string ReadAsset(const std::string& name) {
  std::ifstream in(std::string(FACEWARP_SOURCE_DIR) + "/assets/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Base64, RoundTripsEveryLengthAndRejectsForeignCharacters) {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(bytes)), bytes);
    bytes.push_back(static_cast<char>(250 - 37 * i));
  }
  EXPECT_EQ(EncodeBase64("Man"), "TWFu");
  EXPECT_EQ(DecodeBase64("TW\nFu"), "Man");
  EXPECT_EQ(DecodeBase64("TWE"), "Ma");  // padding may be left out
  EXPECT_FALSE(DecodeBase64("TW@u"));
  EXPECT_FALSE(DecodeBase64("T"));
  EXPECT_FALSE(DecodeBase64("TQ==TQ=="));
}

TEST(ImageHeader, ReadsTheSizeOfPngAndJpegFromTheirHeaders) {
  const ImageLimits limits;
  auto png = ReadImageHeader(ReadAsset("astronaut.png"), limits);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->format, ImageFormat::kPng);
  EXPECT_EQ(png->width, 512);
  EXPECT_EQ(png->height, 512);
  auto jpeg = ReadImageHeader(ReadAsset("group3.jpg"), limits);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  EXPECT_EQ(jpeg->format, ImageFormat::kJpeg);
  EXPECT_EQ(jpeg->width, 1920);
}

TEST(ImageHeader, RefusesHugeForeignAndTruncatedImagesBeforeDecoding) {
  const ImageLimits limits;
  std::string huge("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\x00\x00\x75\x30\x00\x00\x75\x30", 24);
  EXPECT_EQ(ReadImageHeader(huge, limits).error().status, 413);
  EXPECT_EQ(DecodeImage(huge, limits).error().status, 413);
  EXPECT_EQ(ReadImageHeader("GIF89a....", limits).error().status, 415);
  EXPECT_EQ(ReadImageHeader("plain text", limits).error().status, 400);
  const std::string jpeg = ReadAsset("group3.jpg");
  EXPECT_EQ(ReadImageHeader(jpeg.substr(0, jpeg.size() - 100), limits).error().status, 400);
  const std::string png = ReadAsset("astronaut.png");
  EXPECT_EQ(DecodeImage(png.substr(0, png.size() / 2), limits).error().status, 400);
  auto decoded = DecodeImage(png, limits);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->size(), cv::Size(512, 512));
}

TEST(ListenAddress, ParsesHostAndPortAndTellsLoopbackApart) {
  auto a = ParseListenAddress("127.0.0.1:8080", "--control");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto v6 = ParseListenAddress("[::1]:0", "--control");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  for (const char* bad : {"8080", ":8080", "host:", "host:99999", "::1:80", "h:8x"}) {
    EXPECT_FALSE(ParseListenAddress(bad, "--control").ok()) << bad;
  }
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.1.2.3"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("192.168.1.2"));
}

TEST(ParamJson, AppliesAllOrNothingWithTheMessagesOfSet) {
  core::Params p = core::DefaultParams();
  EXPECT_FALSE(ApplyParamsJson(nlohmann::json::parse(R"({"thin": 2, "eyes": 0.3})"), p));
  EXPECT_EQ(p.thin, 2.0);
  EXPECT_EQ(p.eyes, 0.3);

  const core::Params before = p;
  auto error = ApplyParamsJson(nlohmann::json::parse(R"({"thin": 1, "eyes": 5})"), p);
  ASSERT_TRUE(error);
  core::Params scratch = before;
  EXPECT_EQ(error->message, core::SetFromString(scratch, "eyes=5").error().message);
  EXPECT_TRUE(core::SameValues(p, before));  // thin stays 2: nothing was applied

  error = ApplyParamsJson(nlohmann::json::parse(R"({"slimmer": 1})"), p);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, core::SetFromString(scratch, "slimmer=1").error().message);
  error = ApplyParamsJson(nlohmann::json::parse(R"({"thin": "a lot"})"), p);
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("needs a number"), std::string::npos);
  EXPECT_TRUE(ApplyParamsJson(nlohmann::json::parse("[1]"), p));
  EXPECT_EQ(ParamTableJson().size(), core::ParamTable().size());
}

}  // namespace
}  // namespace fw::net
