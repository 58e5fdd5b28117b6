#version 330 core
// The appearance pass draws each face's mesh: a_position in image pixels (pixel centres at
// integers), a_texel the canonical layers' texel point of that vertex.

precision highp float;

layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_texel;

uniform ivec2 u_image_size;

out vec2 v_texel;

void main() {
  v_texel = a_texel;
  // Image point p lies at window coordinate p + 0.5; image row y is fragment row y.
  gl_Position = vec4(2.0 * (a_position + 0.5) / vec2(u_image_size) - 1.0, 0.0, 1.0);
}
