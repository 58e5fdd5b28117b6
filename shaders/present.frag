#version 330 core
// Draws a frame texture into the window's viewport, image row 0 (the top) at the top; left of
// u_split (a fraction of the width, 0 = off) it shows the unfiltered frame for comparison.

precision highp float;

in vec2 v_uv;

uniform sampler2D u_image;
uniform sampler2D u_original;
uniform float u_split;

out vec4 o_color;

void main() {
  vec2 uv = vec2(v_uv.x, 1.0 - v_uv.y);
  o_color = vec4(v_uv.x < u_split ? texture(u_original, uv).rgb : texture(u_image, uv).rgb, 1.0);
}
