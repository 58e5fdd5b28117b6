// Fitting a picture into a window or an output frame with its aspect ratio kept (letterbox):
// the one fit computation of the preview (render/present_pass.h) and of fixed-size outputs
// (output/frame_fit.h). Pure; thread-safe.
#pragma once

namespace fw::core {

// A rectangle in whole pixels.
struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// The largest rectangle of the picture's aspect ratio (inner_width x inner_height) inside
// outer_width x outer_height, centred (offsets rounded down). even_chroma: along an even outer
// length the rectangle's offset and size are even too, so that no 4:2:x chroma sample mixes
// picture and border. An empty rectangle when any size is not positive.
PixelRect FitInside(int inner_width, int inner_height, int outer_width, int outer_height,
                    bool even_chroma);

}  // namespace fw::core
