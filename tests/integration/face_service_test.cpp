// `facewarp serve` end to end: a live instance on a loopback port, driven by a real HTTP client
// (cpp-httplib's, and curl for the README's examples): faces equal to the CLI's --landmarks,
// the filtered image, concurrency, a flood beyond the queue, and every kind of bad request.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>
#include <vector>

#include "net/base64.h"
#include "support/io_test_support.h"
#include "support/live_process.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::ReadBytes;
using livetest::LiveProcess;

constexpr char kToken[] = "test-token-1234";

// One service for the whole suite (the model loads once): 2 workers, 2 queued requests, a token.
class FaceServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The service may close a connection while a refused body is still being sent.
    std::signal(SIGPIPE, SIG_IGN);
    service_ = new LiveProcess(iotest::FacewarpBinary(), {"serve", "127.0.0.1:0", "--workers", "2",
                                                          "--queue", "2", "--token", kToken});
    url_ = service_->WaitForUrl();
  }
  static void TearDownTestSuite() {
    delete service_;
    service_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(url_.empty()) << "the service did not start:\n" << service_->err();
  }

  static std::unique_ptr<httplib::Client> Client(bool with_token = true) {
    auto client = std::make_unique<httplib::Client>(url_);
    // Generous limits: on a loaded machine an upload may wait for a free server thread for
    // longer than cpp-httplib's 5 s default before the server reads it.
    client->set_read_timeout(60, 0);
    client->set_write_timeout(60, 0);
    client->set_connection_timeout(60, 0);
    if (with_token) client->set_bearer_token_auth(kToken);
    return client;
  }

  static httplib::Result PostImage(const std::string& path, const std::string& bytes,
                                   const std::string& type = "image/png") {
    return Client()->Post(path.c_str(), bytes, type.c_str());
  }

  static LiveProcess* service_;
  static std::string url_;
};

LiveProcess* FaceServiceTest::service_ = nullptr;
std::string FaceServiceTest::url_;

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

// The one-line JSON error body every failure carries.
void ExpectError(const httplib::Result& r, int status, const std::string& needle) {
  ASSERT_TRUE(r) << "no answer";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 1) << r->body;
  const nlohmann::json doc = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("error")) << r->body;
  EXPECT_NE(doc["error"].get<std::string>().find(needle), std::string::npos) << r->body;
}

TEST_F(FaceServiceTest, FacesOfAPhotoEqualTheCommandLinesLandmarks) {
  iotest::TempDir dir;
  const std::string jsonl = dir.File("faces.jsonl");
  const iotest::CommandResult cli =
      iotest::RunCommand("'" + iotest::FacewarpBinary() + "' --headless --backend cpu --input '" +
                         Asset("group3.jpg") + "' --landmarks '" + jsonl + "' 2>/dev/null");
  ASSERT_EQ(cli.exit_code, 0);
  const nlohmann::json expected = nlohmann::json::parse(ReadBytes(jsonl));
  ASSERT_EQ(expected["faces"].size(), 3u);

  const httplib::Result r =
      PostImage("/api/v1/faces", ReadBytes(Asset("group3.jpg")), "image/jpeg");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const nlohmann::json got = Json(r);
  EXPECT_EQ(got["width"], 1920);
  ASSERT_EQ(got["faces"].size(), expected["faces"].size());
  for (size_t i = 0; i < got["faces"].size(); ++i) {
    EXPECT_EQ(got["faces"][i]["box"], expected["faces"][i]["box"]) << "face " << i;
    EXPECT_EQ(got["faces"][i]["points"], expected["faces"][i]["points"]) << "face " << i;
    EXPECT_GT(got["faces"][i]["score"].get<double>(), 0.5) << "face " << i;
  }
}

TEST_F(FaceServiceTest, Base64InJsonGivesTheSameFacesAsRawBytes) {
  const std::string png = ReadBytes(Asset("astronaut.png"));
  const httplib::Result raw = PostImage("/api/v1/faces", png);
  const nlohmann::json body = {{"image", net::EncodeBase64(png)}};
  const httplib::Result json = Client()->Post("/api/v1/faces", body.dump(), "application/json");
  ASSERT_TRUE(raw && json);
  ASSERT_EQ(raw->status, 200);
  ASSERT_EQ(json->status, 200) << json->body;
  EXPECT_EQ(Json(raw)["faces"].size(), 1u);
  EXPECT_EQ(raw->body, json->body);
}

TEST_F(FaceServiceTest, ProcessSlimsTheFaceAndLeavesTheCornersAlone) {
  const std::string png = ReadBytes(Asset("astronaut.png"));
  const cv::Mat in = cv::imread(Asset("astronaut.png"));
  const httplib::Result r = PostImage("/api/v1/process?thin=3&eyes=0.4", png);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/png");
  const cv::Mat out = cv::imdecode(
      cv::Mat(1, static_cast<int>(r->body.size()), CV_8UC1, const_cast<char*>(r->body.data())),
      cv::IMREAD_COLOR);
  ASSERT_EQ(out.size(), in.size());
  const cv::Rect face(180, 80, 150, 180);
  EXPECT_GT(cv::norm(in(face), out(face), cv::NORM_L1) / face.area(), 1.0);
  EXPECT_EQ(cv::norm(in(cv::Rect(0, 0, 60, 60)), out(cv::Rect(0, 0, 60, 60)), cv::NORM_INF), 0.0);

  // Zero strength is the identity, bit for bit (PNG is lossless).
  const httplib::Result same = PostImage("/api/v1/process?slim=0&thin=0&eyes=0", png);
  ASSERT_TRUE(same);
  ASSERT_EQ(same->status, 200);
  const cv::Mat identity = cv::imdecode(cv::Mat(1, static_cast<int>(same->body.size()), CV_8UC1,
                                                const_cast<char*>(same->body.data())),
                                        cv::IMREAD_COLOR);
  EXPECT_EQ(cv::norm(in, identity, cv::NORM_INF), 0.0);
}

TEST_F(FaceServiceTest, ProcessAnswersJpegWhenAskedByAcceptQueryOrJson) {
  const std::string png = ReadBytes(Asset("astronaut.png"));
  httplib::Headers accept = {{"Accept", "image/jpeg"}};
  const httplib::Result by_accept = Client()->Post("/api/v1/process", accept, png, "image/png");
  const httplib::Result by_query = PostImage("/api/v1/process?format=jpeg", png);
  const nlohmann::json body = {
      {"image", net::EncodeBase64(png)}, {"format", "jpeg"}, {"params", {{"eyes", 0.5}}}};
  const httplib::Result by_json =
      Client()->Post("/api/v1/process", body.dump(), "application/json");
  for (const httplib::Result* r : {&by_accept, &by_query, &by_json}) {
    ASSERT_TRUE(*r);
    ASSERT_EQ((*r)->status, 200) << (*r)->body;
    EXPECT_EQ((*r)->get_header_value("Content-Type"), "image/jpeg");
    EXPECT_EQ((*r)->body.substr(0, 3), "\xFF\xD8\xFF");
  }
  EXPECT_EQ(by_accept->body, by_query->body);
  EXPECT_NE(by_query->body, by_json->body);  // eyes 0.5 instead of the default
}

TEST_F(FaceServiceTest, ConcurrentClientsGetTheSameAnswersAsSequentialOnes) {
  const std::vector<std::string> images = {ReadBytes(Asset("group3.jpg")),
                                           ReadBytes(Asset("astronaut.png"))};
  std::vector<std::string> sequential;
  for (const std::string& image : images) {
    const httplib::Result r = PostImage("/api/v1/faces", image, "application/octet-stream");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    sequential.push_back(r->body);
  }
  // As many clients as workers plus queue places: none of them is ever refused.
  constexpr int kClients = 4;
  std::vector<std::vector<std::string>> answers(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto client = Client();
      for (size_t i = 0; i < images.size(); ++i) {
        const std::string& image = images[(i + c) % images.size()];
        const httplib::Result r = client->Post("/api/v1/faces", image, "application/octet-stream");
        answers[c].push_back(r ? std::to_string(r->status) + r->body : "no answer");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int c = 0; c < kClients; ++c) {
    for (size_t i = 0; i < images.size(); ++i) {
      EXPECT_EQ(answers[c][i], "200" + sequential[(i + c) % images.size()]) << "client " << c;
    }
  }
}

TEST_F(FaceServiceTest, AFloodBeyondTheQueueGets503AndTheServiceStaysResponsive) {
  const std::string image = ReadBytes(Asset("group1.jpg"));
  const httplib::Result alone = PostImage("/api/v1/faces", image, "image/jpeg");
  ASSERT_TRUE(alone);
  ASSERT_EQ(alone->status, 200);
  // 16 requests released at once at 2 workers and 2 queue places.
  constexpr int kRequests = 16;
  std::vector<int> status(kRequests, 0);
  std::vector<std::string> bodies(kRequests), retry(kRequests);
  std::mutex mu;
  std::condition_variable go;
  bool released = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      auto client = Client();
      {
        std::unique_lock<std::mutex> lock(mu);
        go.wait(lock, [&] { return released; });
      }
      const auto start = std::chrono::steady_clock::now();
      const httplib::Result r = client->Post("/api/v1/faces", image, "image/jpeg");
      if (!r) {
        const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
        bodies[i] = "no answer (" + httplib::to_string(r.error()) + ") after " +
                    std::to_string(waited.count()) + " s";
        return;
      }
      status[i] = r->status;
      bodies[i] = r->body;
      retry[i] = r->get_header_value("Retry-After");
    });
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    released = true;
  }
  go.notify_all();
  for (std::thread& t : threads) t.join();
  int busy = 0;
  for (int i = 0; i < kRequests; ++i) {
    if (status[i] == 503) {
      ++busy;
      EXPECT_EQ(retry[i], "1");
      EXPECT_NE(bodies[i].find("busy"), std::string::npos);
    } else {
      EXPECT_EQ(status[i], 200) << bodies[i];
      EXPECT_EQ(bodies[i], alone->body);
    }
  }
  EXPECT_GE(busy, 1);
  EXPECT_LE(busy, kRequests - 4);  // the workers' and the queue's requests are served
  const httplib::Result health = Client(false)->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const httplib::Result after = PostImage("/api/v1/faces", image, "image/jpeg");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, alone->body);
}

TEST_F(FaceServiceTest, HealthNeedsNoTokenButTheApiDoes) {
  const httplib::Result health = Client(false)->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Json(health)["status"], "ok");
  EXPECT_EQ(Json(health)["workers"], 2);
  EXPECT_EQ(Json(health)["queue_limit"], 2);

  const std::string png = ReadBytes(Asset("astronaut.png"));
  ExpectError(Client(false)->Post("/api/v1/faces", png, "image/png"), 401, "token");
  auto wrong = Client(false);
  wrong->set_bearer_token_auth("not-the-token");
  const httplib::Result r = wrong->Post("/api/v1/faces", png, "image/png");
  ExpectError(r, 401, "wrong token");
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
}

TEST_F(FaceServiceTest, BadRequestsGetTheirStatusAndNeverAffectTheNext) {
  const std::string png = ReadBytes(Asset("astronaut.png"));
  const std::string jpeg = ReadBytes(Asset("group3.jpg"));
  ExpectError(PostImage("/api/v1/faces", "hello, not an image", "text/plain"), 400, "not a PNG");
  ExpectError(PostImage("/api/v1/faces", "", "image/png"), 400, "empty");
  ExpectError(PostImage("/api/v1/faces", png.substr(0, png.size() / 2)), 400, "truncated");
  ExpectError(PostImage("/api/v1/faces", png.substr(0, 20)), 400, "cut short");
  ExpectError(PostImage("/api/v1/faces", jpeg.substr(0, jpeg.size() / 2), "image/jpeg"), 400,
              "cut short");
  ExpectError(PostImage("/api/v1/faces", "{\"image\": ", "application/json"), 400,
              "not valid JSON");
  ExpectError(PostImage("/api/v1/faces", "{\"image\": \"@@@\"}", "application/json"), 400,
              "base64");
  ExpectError(PostImage("/api/v1/faces", "{\"picture\": \"\"}", "application/json"), 400,
              "unknown field");
  ExpectError(PostImage("/api/v1/process?slimmer=1", png), 400, "unknown parameter 'slimmer'");
  ExpectError(PostImage("/api/v1/process?thin=7", png), 400,
              "parameter 'thin' = 7 is out of range; valid range is [0, 3]");
  ExpectError(PostImage("/api/v1/process?format=gif", png), 400, "png or jpeg");
  ExpectError(PostImage("/api/v1/faces", std::string("GIF89a\x01\x00\x01\x00", 10), "image/gif"),
              415, "PNG or JPEG");
  ExpectError(PostImage("/api/v1/faces", "BM" + std::string(60, '\0'), "image/bmp"), 415,
              "PNG or JPEG");
  httplib::MultipartFormDataItems form = {{"image", png, "a.png", "image/png"}};
  ExpectError(Client()->Post("/api/v1/faces", form), 415, "multipart");
  ExpectError(Client()->Get("/api/v1/faces"), 405, "allowed: POST");
  ExpectError(Client()->Get("/api/v1/nothing"), 404, "no such endpoint");
  ExpectError(Client()->Delete("/healthz"), 405, "allowed: GET");

  // The next good request is answered as if nothing had happened.
  const httplib::Result good = PostImage("/api/v1/faces", png);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(Json(good)["faces"].size(), 1u);
}

TEST_F(FaceServiceTest, HugeBodiesAndHugeImagesAreRefusedWithoutGrowingTheService) {
  const long rss_before = service_->RssKb();
  // A PNG header claiming 30000 x 30000 pixels: refused from its header, nothing decoded.
  std::string huge_png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  huge_png += std::string("\x00\x00\x75\x30\x00\x00\x75\x30\x08\x02\x00\x00\x00", 13);
  huge_png += std::string(4000, '\0');
  ExpectError(PostImage("/api/v1/faces", huge_png), 413, "too large");
  // A body over the limit (40 MiB), with and without a length. curl waits for the go-ahead
  // (Expect: 100-continue), so it reads the refusal instead of losing it in a closed upload.
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("big.bin"), std::string(41u << 20, 'x'));
  const std::string auth = std::string(" -H 'Authorization: Bearer ") + kToken + "'";
  for (const std::string extra : {"", " -H 'Transfer-Encoding: chunked'"}) {
    const iotest::CommandResult r =
        iotest::RunCommand("curl -s -w ' %{http_code}'" + auth + extra + " --data-binary @'" +
                           dir.File("big.bin") + "' " + url_ + "/api/v1/faces");
    EXPECT_NE(r.out.find("too large"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.substr(r.out.size() - 4), " 413") << r.out;
  }
  const long rss_after = service_->RssKb();
  // Each refused body is freed: growth stays far below one huge image (2.7 GB) or several
  // 41 MiB bodies. AddressSanitizer holds freed memory in its quarantine (256 MB by default)
  // before reusing it, so its builds get that much more room.
#ifdef __SANITIZE_ADDRESS__
  constexpr long kQuarantineKb = 256 * 1024;
#else
  constexpr long kQuarantineKb = 0;
#endif
  EXPECT_LT(rss_after - rss_before, 100 * 1024 + kQuarantineKb)
      << rss_before << " -> " << rss_after << " kB";
  const httplib::Result health = Client(false)->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(FaceServiceTest, TheReadmesCurlExamplesWork) {
  if (!iotest::HaveProgram("curl")) GTEST_SKIP() << "curl is not installed";
  const std::string auth = std::string(" -H 'Authorization: Bearer ") + kToken + "'";
  const iotest::CommandResult faces =
      iotest::RunCommand("curl -s" + auth + " --data-binary @'" + Asset("astronaut.png") + "' " +
                         url_ + "/api/v1/faces");
  ASSERT_EQ(faces.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(faces.out)["faces"].size(), 1u) << faces.out;
  iotest::TempDir dir;
  const iotest::CommandResult process = iotest::RunCommand(
      "curl -s -f" + auth + " --data-binary @'" + Asset("astronaut.png") + "' '" + url_ +
      "/api/v1/process?thin=2&format=jpeg' -o '" + dir.File("slim.jpg") + "'");
  ASSERT_EQ(process.exit_code, 0);
  EXPECT_EQ(cv::imread(dir.File("slim.jpg")).size(), cv::Size(512, 512));
  const iotest::CommandResult health = iotest::RunCommand("curl -s -f " + url_ + "/healthz");
  EXPECT_EQ(health.exit_code, 0);
}

}  // namespace
}  // namespace fw
