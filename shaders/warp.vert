#version 330 core
// The warp pass draws only each face's box (two triangles per group, 6 * u_num_groups
// vertices from gl_VertexID, empty vertex array); the rest of the target is a plain copy.

precision highp float;
precision highp int;

#include "warp_groups.glsl"

void main() {
  int group = gl_VertexID / 6;
  int corner = gl_VertexID - 6 * group;  // triangles (0, 1, 2) and (2, 1, 3) of the quad
  int quad = corner < 3 ? corner : (corner == 3 ? 2 : (corner == 4 ? 1 : 3));
  vec2 unit = vec2(float(quad & 1), float(quad >> 1));
  vec4 box = u_group_box[group];
  // Image point p (pixel centres at integers) lies at window coordinate p + 0.5.
  vec2 window = mix(box.xy, box.zw, unit) + 0.5;
  gl_Position = vec4(2.0 * window / u_source_size - 1.0, 0.0, 1.0);
}
