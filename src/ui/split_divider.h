// The before/after divider of the preview: a vertical line over the picture, dragged with the
// mouse, with "before" left of it and "after" right of it. ImGui calls only (foreground draw
// list and mouse state); main thread only, between NewFrame() and Render().
#pragma once

namespace fw::ui {

class SplitDivider {
 public:
  // The picture covers (left, top) to (left + width, top + height) in screen pixels; `split`
  // is the divider's position as a fraction of the width, moved while the user drags it. A
  // press on a panel window (ImGui wants the mouse) never starts a drag.
  void Update(float left, float top, float width, float height, float& split);
  bool dragging() const { return dragging_; }

 private:
  bool dragging_ = false;
};

}  // namespace fw::ui
