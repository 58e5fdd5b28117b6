// Compiles with warp's include path: a module sees its own headers and those of what it links
// (the control for warp_includes_render.cpp).
#include "looks/look_plan.h"
#include "warp/warp_plan.h"

int main() { return 0; }
