#version 330 core
// RGB to the chroma planes of I420 as core::BgrToYuv makes them (libyuv's SIMD rows, BT.601
// limited range), to the level: each 2x2 block averaged with rounding up, first down each
// column then across (an odd last column or row is averaged with itself), then
// U = floor((112 B - 74 G - 38 R) / 256) + 128, V = floor((112 R - 94 G - 18 B) / 256) + 128.
// Draw into an RG8 target of ((w + 1) / 2) x ((h + 1) / 2) with fullscreen.vert: U in red,
// V in green.

precision highp float;
precision highp int;

uniform sampler2D u_image;  // RGBA8, read with texelFetch
uniform ivec2 u_last;       // the image's last column and row

out vec4 o_uv;

ivec3 Rgb(ivec2 p) { return ivec3(texelFetch(u_image, p, 0).rgb * 255.0 + 0.5); }

ivec3 Average(ivec3 a, ivec3 b) { return (a + b + 1) >> 1; }

void main() {
  ivec2 p = 2 * ivec2(gl_FragCoord.xy);
  ivec2 q = min(p + 1, u_last);
  ivec3 c = Average(Average(Rgb(p), Rgb(ivec2(p.x, q.y))), Average(Rgb(ivec2(q.x, p.y)), Rgb(q)));
  // + 32768 keeps the shifted value positive: the shift is then a floor on every driver.
  int u = (112 * c.b - 74 * c.g - 38 * c.r + 32768) >> 8;
  int v = (112 * c.r - 94 * c.g - 18 * c.b + 32768) >> 8;
  o_uv = vec4(float(u) / 255.0, float(v) / 255.0, 0.0, 1.0);
}
