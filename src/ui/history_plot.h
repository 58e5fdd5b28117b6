// A history plot for the panel: one or two series from ring buffers, drawn over the full
// panel width with a zero baseline, its scale and a legend, so that it reads at a glance.
// ImGui calls only; main thread only.
#pragma once

namespace fw::ui {

struct PlotSeries {
  const float* values = nullptr;  // ring buffer of `capacity` samples; nullptr: no series
  const char* name = "";          // legend, e.g. "p95"
  unsigned int color = 0;         // ImU32
};

// `count` samples (the newest at ring index pos - 1) of `capacity`; `unit` follows the
// numbers ("fps", "ms").
void HistoryPlot(const char* id, const char* title, const PlotSeries& first,
                 const PlotSeries& second, int count, int capacity, int pos, const char* unit,
                 float height);

}  // namespace fw::ui
