#include "ui/history_plot.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fw::ui {
namespace {

// 1, 2 or 5 times a power of ten, at least v: a scale that reads as a round number.
float NiceCeiling(float v) {
  if (!(v > 0.0f)) return 1.0f;
  const float power = std::pow(10.0f, std::floor(std::log10(v)));
  for (float step : {1.0f, 2.0f, 5.0f, 10.0f}) {
    if (step * power >= v) return step * power;
  }
  return 10.0f * power;
}

}  // namespace

void HistoryPlot(const char* id, const char* title, const PlotSeries& first,
                 const PlotSeries& second, int count, int capacity, int pos, const char* unit,
                 float height) {
  const float width = std::max(ImGui::GetContentRegionAvail().x, 50.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const ImVec2 p1(p0.x + width, p0.y + height);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg), 3.0f);

  const PlotSeries* series[2] = {&first, &second};
  float max_value = 0.0f;
  for (const PlotSeries* s : series) {
    if (s->values == nullptr) continue;
    for (int i = 0; i < count; ++i) {
      max_value = std::max(max_value, s->values[(pos - 1 - i + 2 * capacity) % capacity]);
    }
  }
  const float scale = NiceCeiling(max_value);
  const float line_h = ImGui::GetTextLineHeight();
  const float top = p0.y + line_h + 4.0f;  // the plot area starts below the title line
  const float bottom = p1.y - 3.0f;
  const float x_step = (width - 6.0f) / static_cast<float>(std::max(capacity - 1, 1));

  // Grid line at half the scale.
  const float mid = bottom - 0.5f * (bottom - top);
  draw->AddLine(ImVec2(p0.x + 3.0f, mid), ImVec2(p1.x - 3.0f, mid),
                ImGui::GetColorU32(ImGuiCol_Border), 1.0f);
  for (const PlotSeries* s : series) {
    if (s->values == nullptr || count < 2) continue;
    ImVec2 previous;
    for (int i = 0; i < count; ++i) {
      // Oldest first; the newest sample sits at the right edge.
      const int ring = (pos - count + i + 2 * capacity) % capacity;
      const float v = std::clamp(s->values[ring] / scale, 0.0f, 1.0f);
      const ImVec2 point(p1.x - 3.0f - static_cast<float>(count - 1 - i) * x_step,
                         bottom - v * (bottom - top));
      if (i > 0) draw->AddLine(previous, point, s->color, 2.0f);
      previous = point;
    }
  }

  char text[96];
  draw->AddText(ImVec2(p0.x + 4.0f, p0.y + 2.0f), ImGui::GetColorU32(ImGuiCol_Text), title);
  std::snprintf(text, sizeof(text), "%g %s", scale, unit);
  const float text_w = ImGui::CalcTextSize(text).x;
  draw->AddText(ImVec2(p1.x - text_w - 4.0f, p0.y + 2.0f),
                ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
  // Legend after the title, in each series' colour.
  float x = p0.x + 8.0f + ImGui::CalcTextSize(title).x;
  for (const PlotSeries* s : series) {
    if (s->values == nullptr || s->name[0] == '\0') continue;
    draw->AddText(ImVec2(x, p0.y + 2.0f), s->color, s->name);
    x += ImGui::CalcTextSize(s->name).x + 8.0f;
  }
  if (count < 2) {
    draw->AddText(ImVec2(p0.x + 4.0f, mid - line_h), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                  "collecting...");
  }
}

}  // namespace fw::ui
