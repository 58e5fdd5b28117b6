#include "ui/overlay.h"

#include <imgui.h>

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

}  // namespace fw::ui
