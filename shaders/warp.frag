#version 330 core
// The warp pass (DESIGN.md, "Warp specification"): output pixel x takes the source colour at
// u = f1(f2(...fn(x))) over the ops of every face, with one bilinear fetch at (u + 0.5) / size.
// Image row y is fragment row y. FW_MAX_GROUPS and FW_MAX_OPS are injected.

precision highp float;
precision highp int;

#include "warp_groups.glsl"
#include "warp_math.glsl"

#if !defined(FW_MAX_OPS)
#error "warp.frag needs FW_MAX_OPS injected"
#endif

uniform sampler2D u_source;  // linear filtering, clamp to edge
// Every face's ops, in a uniform block: 8 faces x 32 ops exceed the plain uniforms OpenGL 3.3
// guarantees a fragment shader (1024 components), not a block's 16 KiB.
layout(std140) uniform WarpOps {
  vec4 u_op_geom[FW_MAX_OPS];
  vec4 u_op_warp[FW_MAX_OPS];  // .z < 0 marks a scaling
};

out vec4 o_color;

void main() {
  vec2 x = gl_FragCoord.xy - 0.5;
  vec2 u = x;
  for (int g = u_num_groups - 1; g >= 0; --g) {
    vec4 box = u_group_box[g];
    if (any(lessThanEqual(u, box.xy)) || any(greaterThanEqual(u, box.zw))) continue;
    ivec2 range = u_group_range[g];
    for (int i = range.x + range.y - 1; i >= range.x; --i) {
      vec4 warp = u_op_warp[i];
      u = warp.z >= 0.0 ? TranslationWarp(u, u_op_geom[i], warp)
                        : ScalingWarp(u, u_op_geom[i], warp);
    }
  }
  // Pixels no op moved copy their own texel exactly.
  if (u == x) {
    o_color = vec4(texelFetch(u_source, ivec2(x), 0).rgb, 1.0);
  } else {
    o_color = vec4(texture(u_source, (u + 0.5) / u_source_size).rgb, 1.0);
  }
}
