// The ImGui control panel, driven without a display: an ImGui context with no backend, fed
// simulated mouse buttons, typed characters and keys, one NewFrame/Draw/Render per step.
#include "ui/panel.h"

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <string>

namespace fw::ui {
namespace {

constexpr int kEscapeKey = 256;  // our io.KeysDown[] slot for Escape, as a backend would map it

PanelActions Merge(PanelActions a, const PanelActions& b) {
  a.save_screenshot |= b.save_screenshot;
  a.save_preset |= b.save_preset;
  a.load_preset |= b.load_preset;
  a.toggle_recording |= b.toggle_recording;
  a.switch_camera |= b.switch_camera;
  a.refresh_devices |= b.refresh_devices;
  a.toggle_vcam |= b.toggle_vcam;
  a.quit |= b.quit;
  return a;
}

bool Any(const PanelActions& a) {
  return a.save_screenshot || a.save_preset || a.load_preset || a.toggle_recording ||
         a.switch_camera || a.refresh_devices || a.toggle_vcam || a.quit;
}

class PanelTest : public ::testing::Test {
 protected:
  PanelTest() : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280.0f, 2000.0f);  // tall enough to show every section unscrolled
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.KeyMap[ImGuiKey_Escape] = kEscapeKey;
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    params_ = core::DefaultParams();
    for (int i = 0; i < 3; ++i) Frame();  // windows appear and settle their size
  }
  ~PanelTest() override { ImGui::DestroyContext(context_); }

  PanelActions Frame() {
    ImGui::NewFrame();
    const PanelActions actions = panel_.Draw(params_, view_, stats_);
    ExpectImGuiStacksBalanced();
    ImGui::Render();
    return actions;
  }

  // Draw() must leave every ImGui stack as it found it, or the app's next window inherits it.
  void ExpectImGuiStacksBalanced() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    EXPECT_EQ(g.CurrentWindowStack.Size, 1);  // only ImGui's implicit "Debug" window
    EXPECT_EQ(g.ColorStack.Size, 0);
    EXPECT_EQ(g.StyleVarStack.Size, 0);
    EXPECT_EQ(g.GroupStack.Size, 0);
    EXPECT_EQ(g.BeginPopupStack.Size, 0);
    EXPECT_EQ(g.DisabledStackSize, 0);
    EXPECT_EQ(g.CurrentWindow->IDStack.Size, 1);
  }

  Panel::WidgetRect RectOf(std::string_view name) {
    const auto rect = panel_.LastRect(name);
    EXPECT_TRUE(rect.has_value()) << "widget '" << name << "' was not drawn";
    return rect.value_or(Panel::WidgetRect{0.0f, 0.0f, 0.0f, 0.0f});
  }

  // A point at fraction `fx` across the widget, vertically centred.
  static ImVec2 At(const Panel::WidgetRect& r, float fx) {
    return ImVec2(r.x0 + fx * (r.x1 - r.x0), 0.5f * (r.y0 + r.y1));
  }

  PanelActions Drag(ImVec2 from, ImVec2 to) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = from;
    PanelActions actions = Frame();
    io.MouseDown[0] = true;
    actions = Merge(actions, Frame());
    io.MousePos = to;
    actions = Merge(actions, Frame());
    io.MouseDown[0] = false;
    return Merge(actions, Frame());
  }

  PanelActions Click(ImVec2 at) { return Drag(at, at); }

  PanelActions Type(char c) {
    ImGui::GetIO().AddInputCharacter(static_cast<unsigned int>(c));
    return Frame();
  }

  PanelActions PressEscape() {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[kEscapeKey] = true;
    const PanelActions actions = Frame();
    io.KeysDown[kEscapeKey] = false;
    return Merge(actions, Frame());
  }

  double Value(std::string_view key) const { return core::Get(params_, *core::FindParam(key)); }

  ImGuiContext* context_;
  Panel panel_;
  core::Params params_;
  ViewState view_;
  PanelStats stats_;
};

TEST_F(PanelTest, DrawsOneSliderPerParameterTableRowTopToBottom) {
  float previous_bottom = 0.0f;
  for (const core::ParamSpec& spec : core::ParamTable()) {
    const Panel::WidgetRect r = RectOf(spec.key);
    EXPECT_GT(r.x1 - r.x0, 50.0f) << spec.key;
    EXPECT_GE(r.y0, previous_bottom) << spec.key << " overlaps the slider above it";
    previous_bottom = r.y1;
  }
}

TEST_F(PanelTest, IsPinnedToTheLeftEdgeAtFullDisplayHeight) {
  const ImGuiWindow* window = ImGui::FindWindowByName("facewarp");
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->Pos.x, 0.0f);
  EXPECT_EQ(window->Pos.y, 0.0f);
  EXPECT_EQ(window->Size.y, ImGui::GetIO().DisplaySize.y);
  EXPECT_LT(window->Size.x, ImGui::GetIO().DisplaySize.x);
}

TEST_F(PanelTest, ClickingTheThinSliderMovesThinTowardTheClickedPosition) {
  const core::ParamSpec& thin = *core::FindParam("thin");
  Click(At(RectOf("thin"), 0.75f));
  EXPECT_NEAR(Value("thin"), thin.min + 0.75 * (thin.max - thin.min), 0.15);

  Click(At(RectOf("thin"), 0.25f));
  EXPECT_NEAR(Value("thin"), thin.min + 0.25 * (thin.max - thin.min), 0.15);
  EXPECT_GE(Value("thin"), thin.min);
}

TEST_F(PanelTest, DraggingPastEitherSliderEndStopsAtTheTableRange) {
  const core::ParamSpec& thin = *core::FindParam("thin");
  const Panel::WidgetRect r = RectOf("thin");
  Drag(At(r, 0.5f), ImVec2(r.x1 + 300.0f, r.y0));
  EXPECT_EQ(Value("thin"), thin.max);
  Drag(At(r, 0.5f), ImVec2(r.x0 - 300.0f, r.y1));
  EXPECT_EQ(Value("thin"), thin.min);
}

TEST_F(PanelTest, EverySliderReachesExactlyItsRangeAndIntegerKeysStayWhole) {
  for (const core::ParamSpec& spec : core::ParamTable()) {
    SCOPED_TRACE(std::string(spec.key));
    Drag(At(RectOf(spec.key), 0.5f), At(RectOf(spec.key), 5.0f));
    EXPECT_EQ(core::Get(params_, spec), spec.max);
    Drag(At(RectOf(spec.key), 0.5f), At(RectOf(spec.key), -5.0f));
    EXPECT_EQ(core::Get(params_, spec), spec.min);
    Click(At(RectOf(spec.key), 0.37f));
    const double v = core::Get(params_, spec);
    if (spec.integer && spec.max - spec.min < 2.0) {
      // A two-way choice has no value strictly inside its range.
      EXPECT_TRUE(v == spec.min || v == spec.max) << v;
      continue;
    }
    EXPECT_GT(v, spec.min);
    EXPECT_LT(v, spec.max);
    if (spec.integer) {
      EXPECT_EQ(v, std::floor(v));
    }
  }
}

TEST_F(PanelTest, ResetAllRestoresEveryDefault) {
  for (const core::ParamSpec& spec : core::ParamTable()) {
    ASSERT_TRUE(core::Set(params_, spec, spec.max).ok());
  }
  Frame();
  Click(At(RectOf("reset_all"), 0.5f));
  for (const core::ParamSpec& spec : core::ParamTable()) {
    EXPECT_EQ(core::Get(params_, spec), spec.def) << spec.key;
  }
}

TEST_F(PanelTest, ParameterResetButtonRestoresOnlyThatParameter) {
  const core::ParamSpec& thin = *core::FindParam("thin");
  const core::ParamSpec& eyes = *core::FindParam("eyes");
  ASSERT_TRUE(core::Set(params_, thin, thin.max).ok());
  ASSERT_TRUE(core::Set(params_, eyes, eyes.max).ok());
  Frame();
  Click(At(RectOf("reset:thin"), 0.5f));
  EXPECT_EQ(Value("thin"), thin.def);
  EXPECT_EQ(Value("eyes"), eyes.max);
}

TEST_F(PanelTest, TypingETogglesTheEffect) {
  ASSERT_TRUE(view_.effect_on);
  const PanelActions actions = Type('e');
  EXPECT_FALSE(view_.effect_on);
  EXPECT_FALSE(Any(actions));
  Type('E');
  EXPECT_TRUE(view_.effect_on);
}

TEST_F(PanelTest, TypingIntoThePresetFieldGoesToTheFieldNotToShortcuts) {
  const Panel::WidgetRect field = RectOf("preset_path");
  Click(ImVec2(field.x1 - 2.0f, 0.5f * (field.y0 + field.y1)));
  PanelActions actions;
  for (char c : std::string("eqhsp")) actions = Merge(actions, Type(c));
  actions = Merge(actions, Frame());  // InputText publishes its buffer on the next frame
  EXPECT_TRUE(view_.effect_on);
  EXPECT_TRUE(view_.show_panel);
  EXPECT_FALSE(view_.split_view);
  EXPECT_FALSE(Any(actions));
  EXPECT_NE(view_.preset_path.find("eqhsp"), std::string::npos) << view_.preset_path;
}

TEST_F(PanelTest, EscapeWhileEditingTextLeavesTheFieldWithoutQuitting) {
  Click(At(RectOf("preset_path"), 0.5f));
  EXPECT_FALSE(PressEscape().quit);
  EXPECT_TRUE(PressEscape().quit);
}

TEST_F(PanelTest, EscapeRequestsQuit) { EXPECT_TRUE(PressEscape().quit); }

TEST_F(PanelTest, EveryListedShortcutChangesTheViewOrRequestsAnAction) {
  for (const Shortcut& shortcut : Shortcuts()) {
    SCOPED_TRACE(shortcut.keys);
    const ViewState before = view_;
    const PanelActions actions = Type(shortcut.keys[0]);
    const bool view_changed = before.effect_on != view_.effect_on ||
                              before.split_view != view_.split_view ||
                              before.show_landmarks != view_.show_landmarks ||
                              before.show_warp_regions != view_.show_warp_regions ||
                              before.show_panel != view_.show_panel;
    EXPECT_TRUE(view_changed || Any(actions));
    view_ = before;
  }
}

TEST_F(PanelTest, HidingThePanelKeepsShortcutsWorking) {
  Type('h');
  EXPECT_FALSE(view_.show_panel);
  EXPECT_FALSE(panel_.LastRect("thin").has_value());
  Type('l');
  EXPECT_TRUE(view_.show_landmarks);
  Type('h');
  EXPECT_TRUE(view_.show_panel);
  EXPECT_TRUE(panel_.LastRect("thin").has_value());
}

TEST_F(PanelTest, ErrorsStatusAndShaderLogDrawAndTheSlidersStayUsable) {
  stats_.error = "tracking thread: shape predictor failed: bad_alloc";
  stats_.status = "camera lost - reconnecting";
  for (int i = 0; i < 200; ++i) {
    stats_.shader_log += "0:" + std::to_string(i) + "(12): error: 'warp' undeclared identifier\n";
  }
  stats_.recording = true;
  stats_.source = std::string(500, 'x');
  for (int i = 0; i < 150; ++i) {  // more frames than the history holds
    stats_.fps = 30.0 + i % 7;
    stats_.stage_ms[3] = 1.0 + i % 3;
    Frame();
  }
  Click(At(RectOf("eyes"), 0.9f));
  EXPECT_GT(Value("eyes"), core::FindParam("eyes")->def);
}

TEST_F(PanelTest, DrawsWhenTheDisplayIsMinimized) {
  ImGui::GetIO().DisplaySize = ImVec2(0.0f, 0.0f);
  Frame();
  Frame();
  EXPECT_TRUE(view_.show_panel);
}

TEST_F(PanelTest, OutOfRangeCameraModeIsClampedToTheListedModes) {
  view_.camera_mode = 99;
  Frame();
  EXPECT_EQ(view_.camera_mode, static_cast<int>(CameraModes().size()) - 1);
  view_.camera_mode = -3;
  Frame();
  EXPECT_EQ(view_.camera_mode, 0);
}

TEST_F(PanelTest, WithoutALoopbackDeviceTheVirtualCameraShowsTheCommandAndCannotStart) {
  view_.vcam_hint = "sudo modprobe v4l2loopback devices=1";
  Frame();
  EXPECT_TRUE(panel_.LastRect("vcam_copy").has_value());
  EXPECT_FALSE(Click(At(RectOf("vcam_toggle"), 0.5f)).toggle_vcam);  // disabled
}

TEST_F(PanelTest, StartingAndStoppingTheVirtualCameraRequestsAToggle) {
  view_.vcams = {{"/dev/video10", "facewarp (/dev/video10)", "", {}}};
  Frame();
  EXPECT_FALSE(panel_.LastRect("vcam_copy").has_value());  // no command to show
  EXPECT_TRUE(Click(At(RectOf("vcam_toggle"), 0.5f)).toggle_vcam);
  stats_.vcam_on = true;
  stats_.vcam_target = "/dev/video10 1280x720 YUYV 30 fps";
  stats_.vcam_frames = 42;
  Frame();
  EXPECT_TRUE(Click(At(RectOf("vcam_toggle"), 0.5f)).toggle_vcam);
}

TEST_F(PanelTest, ACameraWithItsOwnModesOffersThemInsteadOfTheDefaults) {
  view_.cameras = {{"/dev/video0",
                    "HD Webcam (/dev/video0)",
                    "",
                    {{640, 480, 30.0, "640x480 @ 30 fps (YUYV)"}}}};
  view_.camera_mode = 2;
  Frame();
  EXPECT_EQ(view_.camera_mode, 0);  // clamped to the camera's one mode
  EXPECT_EQ(&ModesOf(view_), &view_.cameras[0].modes);
  EXPECT_TRUE(Click(At(RectOf("switch_camera"), 0.5f)).switch_camera);
}

TEST(CameraModes, AreDistinctAndLabelled) {
  const auto& modes = CameraModes();
  ASSERT_GE(modes.size(), 3u);
  for (size_t i = 0; i < modes.size(); ++i) {
    for (size_t j = i + 1; j < modes.size(); ++j) {
      EXPECT_FALSE(modes[i].width == modes[j].width && modes[i].height == modes[j].height &&
                   modes[i].fps == modes[j].fps)
          << modes[i].label;
    }
  }
  for (const CameraMode& mode : modes) {
    EXPECT_GT(mode.width, 0);
    EXPECT_GT(mode.height, 0);
    EXPECT_GT(mode.fps, 0.0);
    EXPECT_NE(std::string(mode.label).find(std::to_string(mode.width)), std::string::npos);
  }
}

TEST_F(PanelTest, PickingAShippedLookAsksToLoadItByName) {
  view_.preset_names = {"classic", "natural", "v-line"};
  Frame();
  const Panel::WidgetRect combo = RectOf("preset_look");
  EXPECT_FALSE(Click(At(combo, 0.5f)).load_preset);  // opens the list
  // The third entry, one line height per entry below the box.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float line = ImGui::GetFontSize() + style.ItemSpacing.y;
  const ImVec2 third(At(combo, 0.5f).x, combo.y1 + style.WindowPadding.y + 2.5f * line);
  const PanelActions actions = Click(third);
  EXPECT_TRUE(actions.load_preset);
  EXPECT_EQ(view_.preset_path, "v-line");
  EXPECT_EQ(view_.preset_choice, 2);
}

TEST_F(PanelTest, WithoutShippedLooksThereIsNoDropdown) {
  Frame();
  EXPECT_FALSE(panel_.LastRect("preset_look").has_value());
}

}  // namespace
}  // namespace fw::ui
