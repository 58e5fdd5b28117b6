#include "ui/split_divider.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace fw::ui {
namespace {

constexpr float kGrabDistance = 10.0f;  // screen pixels either side of the line

void Draw(float left, float top, float width, float height, float split, bool active) {
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  const float x = left + std::clamp(split, 0.0f, 1.0f) * width;
  const ImU32 line = active ? IM_COL32(255, 255, 255, 255) : IM_COL32(255, 255, 255, 190);
  draw->AddLine(ImVec2(x, top), ImVec2(x, top + height), IM_COL32(0, 0, 0, 140), 4.0f);
  draw->AddLine(ImVec2(x, top), ImVec2(x, top + height), line, 2.0f);
  const ImVec2 grip(x, top + 0.5f * height);
  draw->AddCircleFilled(grip, active ? 11.0f : 9.0f, IM_COL32(0, 0, 0, 160));
  draw->AddCircle(grip, active ? 11.0f : 9.0f, line, 0, 2.0f);
  draw->AddTriangleFilled(ImVec2(grip.x - 7.0f, grip.y), ImVec2(grip.x - 3.0f, grip.y - 4.0f),
                          ImVec2(grip.x - 3.0f, grip.y + 4.0f), line);
  draw->AddTriangleFilled(ImVec2(grip.x + 7.0f, grip.y), ImVec2(grip.x + 3.0f, grip.y + 4.0f),
                          ImVec2(grip.x + 3.0f, grip.y - 4.0f), line);
  // Labels on dark plates near the top, each on its own side of the line.
  const float pad = 6.0f;
  const auto label = [&](const char* text, float label_x) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 p0(label_x, top + pad);
    draw->AddRectFilled(p0, ImVec2(p0.x + size.x + 2.0f * pad, p0.y + size.y + pad),
                        IM_COL32(0, 0, 0, 150), 4.0f);
    draw->AddText(ImVec2(p0.x + pad, p0.y + 0.5f * pad), IM_COL32(255, 255, 255, 255), text);
    return size.x + 2.0f * pad;
  };
  const float before_w = ImGui::CalcTextSize("before").x + 2.0f * pad;
  label("before", std::max(left + pad, x - before_w - pad));
  label("after", std::min(x + pad, left + width - ImGui::CalcTextSize("after").x - 3.0f * pad));
}

}  // namespace

void SplitDivider::Update(float left, float top, float width, float height, float& split) {
  if (width <= 0.0f || height <= 0.0f) return;
  const ImGuiIO& io = ImGui::GetIO();
  const float x = left + std::clamp(split, 0.0f, 1.0f) * width;
  const bool over = !io.WantCaptureMouse && std::abs(io.MousePos.x - x) < kGrabDistance &&
                    io.MousePos.y >= top && io.MousePos.y <= top + height;
  if (over && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) dragging_ = true;
  if (dragging_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_ = false;
  if (dragging_) split = std::clamp((io.MousePos.x - left) / width, 0.0f, 1.0f);
  if (over || dragging_) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  Draw(left, top, width, height, split, over || dragging_);
}

}  // namespace fw::ui
