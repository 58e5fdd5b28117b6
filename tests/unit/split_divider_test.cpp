// The before/after divider driven with simulated mouse input in an ImGui context without a
// display: it moves only when grabbed on its line, follows the mouse within the picture, and
// never starts a drag on a panel window.
#include "ui/split_divider.h"

#include <gtest/gtest.h>
#include <imgui.h>

namespace fw::ui {
namespace {

// The picture: x 400..1200, y 0..600.
constexpr float kLeft = 400.0f, kTop = 0.0f, kWidth = 800.0f, kHeight = 600.0f;

class SplitDividerTest : public ::testing::Test {
 protected:
  SplitDividerTest() : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280.0f, 720.0f);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    Frame();
  }
  ~SplitDividerTest() override { ImGui::DestroyContext(context_); }

  void Frame(bool with_panel = false) {
    ImGui::NewFrame();
    if (with_panel) {  // a window over the picture's left part, as the panel can be
      ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
      ImGui::SetNextWindowSize(ImVec2(900.0f, 600.0f));
      ImGui::Begin("panel");
      ImGui::End();
    }
    divider_.Update(kLeft, kTop, kWidth, kHeight, split_);
    ImGui::Render();
  }

  void Drag(ImVec2 from, ImVec2 to, bool with_panel = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = from;
    Frame(with_panel);
    io.MouseDown[0] = true;
    Frame(with_panel);
    io.MousePos = to;
    Frame(with_panel);
    io.MouseDown[0] = false;
    Frame(with_panel);
  }

  ImGuiContext* context_;
  SplitDivider divider_;
  float split_ = 0.5f;  // the line at x 800
};

TEST_F(SplitDividerTest, DraggingTheLineMovesItToTheMouse) {
  Drag(ImVec2(803.0f, 300.0f), ImVec2(600.0f, 310.0f));
  EXPECT_FLOAT_EQ(split_, 0.25f);
  EXPECT_FALSE(divider_.dragging());
}

TEST_F(SplitDividerTest, StopsAtThePictureEdges) {
  Drag(ImVec2(800.0f, 300.0f), ImVec2(1500.0f, 300.0f));
  EXPECT_FLOAT_EQ(split_, 1.0f);
  Drag(ImVec2(1200.0f, 300.0f), ImVec2(100.0f, 300.0f));
  EXPECT_FLOAT_EQ(split_, 0.0f);
}

TEST_F(SplitDividerTest, APressAwayFromTheLineOrOutsideThePictureMovesNothing) {
  Drag(ImVec2(900.0f, 300.0f), ImVec2(1000.0f, 300.0f));
  EXPECT_FLOAT_EQ(split_, 0.5f);
  Drag(ImVec2(800.0f, 650.0f), ImVec2(1000.0f, 650.0f));  // below the picture
  EXPECT_FLOAT_EQ(split_, 0.5f);
}

TEST_F(SplitDividerTest, APressOnAPanelWindowOverTheLineStartsNoDrag) {
  Drag(ImVec2(800.0f, 300.0f), ImVec2(1000.0f, 300.0f), /*with_panel=*/true);
  EXPECT_FLOAT_EQ(split_, 0.5f);
}

}  // namespace
}  // namespace fw::ui
