// --control end to end: a headless run of a photo delivered as a camera would (--realtime), with
// its control API on a loopback port, driven by a real HTTP client. Parameter and effect changes
// show in the next frame's output (a snapshot); every endpoint and error status; the token.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/io_test_support.h"
#include "support/live_process.h"

namespace fw {
namespace {

using iotest::Asset;
using livetest::LiveProcess;

cv::Mat Decode(const std::string& bytes) {
  return cv::imdecode(
      cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())),
      cv::IMREAD_COLOR);
}

// The astronaut photo as an endless 30 fps stream, at zero strength (output == input), its
// recordings going to a temporary $HOME/Videos.
class ControlApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::signal(SIGPIPE, SIG_IGN);
    home_ = new iotest::TempDir();
    std::filesystem::create_directory(home_->File("Videos"));
    run_ = new LiveProcess(
        iotest::FacewarpBinary(),
        {"--headless", "--realtime", "--input", Asset("astronaut.png"), "--backend", "cpu", "--set",
         "slim=0", "--set", "thin=0", "--set", "eyes=0", "--control", "127.0.0.1:0"},
        {"HOME=" + home_->path()});
    url_ = run_->WaitForUrl();
  }
  static void TearDownTestSuite() {
    delete run_;
    delete home_;
  }
  void SetUp() override {
    ASSERT_FALSE(url_.empty()) << "the run did not start:\n" << run_->err();
    client_ = std::make_unique<httplib::Client>(url_);
    client_->set_read_timeout(30, 0);
  }

  nlohmann::json Params() {
    const httplib::Result r = client_->Get("/api/v1/params");
    EXPECT_TRUE(r && r->status == 200);
    return r ? nlohmann::json::parse(r->body) : nlohmann::json();
  }
  httplib::Result Patch(const std::string& body) {
    return client_->Patch("/api/v1/params", body, "application/json");
  }
  httplib::Result Post(const std::string& path, const std::string& body) {
    return client_->Post(path.c_str(), body, "application/json");
  }
  cv::Mat Snapshot() {
    httplib::Result r = client_->Get("/api/v1/snapshot");
    // 503 until the first frame is through (a loaded machine may take a while).
    for (int i = 0; i < 20 && r && r->status == 503; ++i) r = client_->Get("/api/v1/snapshot");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r || r->status != 200) return cv::Mat();
    EXPECT_EQ(r->get_header_value("Content-Type"), "image/png");
    return Decode(r->body);
  }

  static LiveProcess* run_;
  static iotest::TempDir* home_;
  static std::string url_;
  std::unique_ptr<httplib::Client> client_;
};

LiveProcess* ControlApiTest::run_ = nullptr;
iotest::TempDir* ControlApiTest::home_ = nullptr;
std::string ControlApiTest::url_;

void ExpectError(const httplib::Result& r, int status, const std::string& needle) {
  ASSERT_TRUE(r) << "no answer";
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 1) << r->body;
  const nlohmann::json doc = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("error")) << r->body;
  EXPECT_NE(doc["error"].get<std::string>().find(needle), std::string::npos) << r->body;
}

const cv::Rect kFace(180, 80, 150, 180);
const cv::Rect kCorner(0, 0, 60, 60);

TEST_F(ControlApiTest, ParameterAndEffectChangesShowInTheNextFrame) {
  const cv::Mat photo = cv::imread(Asset("astronaut.png"));
  cv::Mat frame = Snapshot();
  ASSERT_EQ(frame.size(), photo.size());
  EXPECT_EQ(cv::norm(frame, photo, cv::NORM_INF), 0.0) << "zero strength is the identity";

  const httplib::Result patched = Patch(R"({"thin": 3, "eyes": 0.6})");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(nlohmann::json::parse(patched->body)["params"]["thin"], 3.0);
  // The snapshot is answered at a frame boundary after the change was taken.
  frame = Snapshot();
  ASSERT_FALSE(frame.empty());
  EXPECT_GT(cv::norm(frame(kFace), photo(kFace), cv::NORM_L1) / kFace.area(), 1.0);
  EXPECT_EQ(cv::norm(frame(kCorner), photo(kCorner), cv::NORM_INF), 0.0);

  const httplib::Result off = Post("/api/v1/effect", R"({"on": false})");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->body, "{\"effect\":false}\n");
  EXPECT_EQ(cv::norm(Snapshot(), photo, cv::NORM_INF), 0.0);
  EXPECT_EQ(Params()["effect"], false);
  const httplib::Result toggled = Post("/api/v1/effect", R"({"on": "toggle"})");
  ASSERT_TRUE(toggled);
  EXPECT_EQ(toggled->body, "{\"effect\":true}\n");
  EXPECT_GT(cv::norm(Snapshot()(kFace), photo(kFace), cv::NORM_L1) / kFace.area(), 1.0);

  // A shipped preset by name changes the picture; a preset's own JSON back to zero strength
  // gives the identity again.
  const httplib::Result named = Post("/api/v1/preset", R"({"name": "strong"})");
  ASSERT_TRUE(named);
  ASSERT_EQ(named->status, 200) << named->body;
  EXPECT_GT(cv::norm(Snapshot()(kFace), photo(kFace), cv::NORM_L1) / kFace.area(), 1.0);
  const httplib::Result preset = Post("/api/v1/preset", R"({"facewarp_preset": 1, "params": {
             "slim": 0, "eyes": 0, "thin": 0, "chin_length": 0, "jaw_width": 0, "nose_width": 0,
             "mouth_width": 0, "forehead_height": 0, "eye_distance": 0}})");
  ASSERT_TRUE(preset);
  ASSERT_EQ(preset->status, 200) << preset->body;
  EXPECT_EQ(cv::norm(Snapshot(), photo, cv::NORM_INF), 0.0);
}

TEST_F(ControlApiTest, ParamsListTheTableAndRefuseBadUpdatesWholly) {
  const nlohmann::json params = Params();
  ASSERT_TRUE(params["table"].is_array());
  ASSERT_FALSE(params["table"].empty());
  const nlohmann::json& first = params["table"][0];
  for (const char* field : {"key", "label", "help", "min", "max", "default", "unit"}) {
    EXPECT_TRUE(first.contains(field)) << field;
  }
  EXPECT_EQ(params["params"]["thin"], 0.0);

  // --set's own message for the same mistake.
  const iotest::CommandResult cli = iotest::RunCommand(
      "'" + iotest::FacewarpBinary() + "' --set thin=5 --save-preset /dev/null 2>&1");
  ASSERT_EQ(cli.exit_code, 2);
  const std::string set_message = cli.out.substr(std::string("facewarp: error: ").size());
  const httplib::Result out_of_range = Patch(R"({"eyes": 0.1, "thin": 5})");
  ExpectError(out_of_range, 400, set_message.substr(0, set_message.size() - 1));
  EXPECT_EQ(Params()["params"]["eyes"], 0.0) << "all or nothing";
  ExpectError(Patch(R"({"slimmer": 1})"), 400, "unknown parameter 'slimmer'; valid keys: ");
  ExpectError(Patch(R"({"thin": "lots"})"), 400, "needs a number");
  ExpectError(Patch(R"({"thin": )"), 400, "not valid JSON");
  ExpectError(Patch("[1, 2]"), 400, "JSON object");
  ExpectError(Post("/api/v1/effect", R"({"on": "maybe"})"), 400, "toggle");
  ExpectError(Post("/api/v1/preset", R"({"path": "/nonexistent/preset.json"})"), 400,
              "cannot read preset");
  ExpectError(Post("/api/v1/preset", R"({"name": "no-such-look"})"), 400, "subtle");
  ExpectError(Post("/api/v1/preset", R"({"facewarp_preset": 1, "params": {"thin": 9}})"), 400,
              "out of range");
  ExpectError(client_->Get("/api/v1/nothing"), 404, "no such endpoint");
  ExpectError(client_->Delete("/api/v1/params"), 405, "allowed: GET, PATCH");
  ExpectError(client_->Get("/api/v1/effect"), 405, "allowed: POST");
  ExpectError(Patch(std::string(100 * 1024, ' ')), 413, "too large");
  httplib::Headers page = {{"Origin", "http://example.com"}};
  ExpectError(client_->Get("/api/v1/params", page), 403, "web pages");
  // Nothing of the above changed anything.
  EXPECT_EQ(Params()["params"]["thin"], 0.0);
  EXPECT_EQ(Params()["params"]["eyes"], 0.0);
}

TEST_F(ControlApiTest, StatsAreLiveAndRecordingWritesAFile) {
  const httplib::Result first = client_->Get("/api/v1/stats");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const nlohmann::json stats = nlohmann::json::parse(first->body);
  for (const char* field : {"frames", "wall_s", "fps", "frames_dropped", "cpu_ms_per_frame"}) {
    EXPECT_TRUE(stats.contains(field)) << field;
  }
  EXPECT_TRUE(stats["stages"].contains("warp"));

  ExpectError(Post("/api/v1/recording", R"({"on": false})"), 409, "not recording");
  const httplib::Result start = Post("/api/v1/recording", R"({"on": true})");
  ASSERT_TRUE(start);
  ASSERT_EQ(start->status, 200) << start->body;
  const std::string path = nlohmann::json::parse(start->body)["path"];
  EXPECT_EQ(path.rfind(home_->File("Videos/facewarp-"), 0), 0u) << path;
  ExpectError(Post("/api/v1/recording", R"({"on": true})"), 409, "already recording");
  // A photo is warped again on each change: two frames for the recording.
  ASSERT_EQ(Patch(R"({"eyes": 0.1})")->status, 200);
  Snapshot();
  ASSERT_EQ(Patch(R"({"eyes": 0})")->status, 200);
  Snapshot();
  const httplib::Result stop = Post("/api/v1/recording", R"({"on": "toggle"})");
  ASSERT_TRUE(stop);
  ASSERT_EQ(stop->status, 200) << stop->body;
  EXPECT_EQ(nlohmann::json::parse(stop->body)["recording"], false);
  EXPECT_EQ(iotest::ProbeVideo(path).substr(0, 7), "512,512");

  // The stats move on (each change re-warped the photo); they are refreshed 5 times a second.
  // The wait is bounded generously (60 s), so a loaded machine only makes it longer.
  httplib::Result later = client_->Get("/api/v1/stats");
  for (int i = 0;
       i < 1200 && later && nlohmann::json::parse(later->body)["frames"] == stats["frames"]; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    later = client_->Get("/api/v1/stats");
  }
  ASSERT_TRUE(later);
  EXPECT_GT(nlohmann::json::parse(later->body)["frames"].get<int64_t>(),
            stats["frames"].get<int64_t>());
}

TEST_F(ControlApiTest, TheReadmesCurlExampleChangesTheRunningFilter) {
  if (!iotest::HaveProgram("curl")) GTEST_SKIP() << "curl is not installed";
  // curl -d sends a form content type: the API reads the body as JSON all the same.
  const iotest::CommandResult r =
      iotest::RunCommand("curl -s -X PATCH " + url_ + "/api/v1/params -d '{\"eyes\":0.3}'");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["params"]["eyes"], 0.3) << r.out;
  EXPECT_EQ(Params()["params"]["eyes"], 0.3);
}

TEST(ControlApiToken, AnAddressOffLoopbackNeedsAToken) {
  const iotest::CommandResult refused = iotest::RunCommand(
      "env -u FACEWARP_CONTROL_TOKEN '" + iotest::FacewarpBinary() + "' --headless --input '" +
      Asset("astronaut.png") + "' --control 0.0.0.0:0 2>&1");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(
      refused.out.rfind("facewarp: error: --control on 0.0.0.0 (not loopback) needs a token", 0),
      0u)
      << refused.out;
  const iotest::CommandResult malformed =
      iotest::RunCommand("'" + iotest::FacewarpBinary() + "' --headless --input '" +
                         Asset("astronaut.png") + "' --control 8080 2>&1");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.out.find("expects HOST:PORT"), std::string::npos) << malformed.out;
}

TEST(ControlApiToken, EveryRequestIsCheckedWhenATokenIsSet) {
  std::signal(SIGPIPE, SIG_IGN);
  LiveProcess run(iotest::FacewarpBinary(),
                  {"--headless", "--realtime", "--input", Asset("astronaut.png"), "--backend",
                   "cpu", "--control", "127.0.0.1:0"},
                  {"FACEWARP_CONTROL_TOKEN=s3cret-token"});
  const std::string url = run.WaitForUrl();
  ASSERT_FALSE(url.empty()) << run.err();
  httplib::Client client(url);
  for (const char* path : {"/api/v1/params", "/api/v1/stats", "/api/v1/snapshot"}) {
    ExpectError(client.Get(path), 401, "needs a token");
  }
  ExpectError(client.Patch("/api/v1/params", R"({"thin": 2})", "application/json"), 401, "token");
  client.set_bearer_token_auth("wrong");
  ExpectError(client.Get("/api/v1/params"), 401, "wrong token");
  client.set_bearer_token_auth("s3cret-token");
  const httplib::Result ok = client.Patch("/api/v1/params", R"({"thin": 2})", "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  // A frame through before the stop, so the run ends as a live run that was shown frames.
  httplib::Result shot = client.Get("/api/v1/snapshot");
  for (int i = 0; i < 20 && shot && shot->status == 503; ++i) shot = client.Get("/api/v1/snapshot");
  ASSERT_TRUE(shot);
  EXPECT_EQ(shot->status, 200);
  EXPECT_EQ(run.Stop(), 0) << run.err();
}

}  // namespace
}  // namespace fw
