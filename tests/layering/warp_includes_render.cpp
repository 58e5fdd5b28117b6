// Must not compile with warp's include path: warp does not link render (src/CMakeLists.txt).
#include "render/warp_renderer.h"

int main() { return 0; }
