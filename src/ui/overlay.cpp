#include "ui/overlay.h"

#include <imgui.h>

#include <algorithm>

namespace fw::ui {

namespace {

ImVec2 ToIm(core::Vec2 p) { return ImVec2(static_cast<float>(p.x), static_cast<float>(p.y)); }

}  // namespace

void DrawLandmarks(const core::Faces& faces, const ImageToScreen& map) {
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  for (const core::Face& face : faces) {
    const ImU32 colour =
        ImGui::GetColorU32(ImVec4(0.2f, 1.0f, 0.4f, 0.4f + 0.6f * static_cast<float>(face.weight)));
    for (const core::Vec2& p : face.points) list->AddCircleFilled(ToIm(map(p)), 2.0f, colour, 8);
    const core::Vec2 a = map({face.box.x, face.box.y});
    const core::Vec2 b = map({face.box.x + face.box.w, face.box.y + face.box.h});
    list->AddRect(ToIm(a), ToIm(b), colour);
  }
}

void DrawWarpRegions(const warp::WarpPlan& plan, const ImageToScreen& map) {
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  const ImU32 translate = IM_COL32(255, 160, 40, 200);
  const ImU32 scale = IM_COL32(80, 180, 255, 200);
  for (const warp::WarpOp& op : plan) {
    const bool is_translate = op.kind == warp::OpKind::kTranslate;
    const ImU32 colour = is_translate ? translate : scale;
    const ImVec2 c = ToIm(map(op.c));
    list->AddCircle(c, static_cast<float>(op.r * map.scale), colour, 48, 1.5f);
    if (is_translate) list->AddLine(c, ToIm(map(op.m)), colour, 1.0f);
  }
}

void DrawSplitDivider(float left, float top, float width, float height, float split,
                      bool active) {
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

}  // namespace fw::ui
