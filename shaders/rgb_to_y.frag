#version 330 core
// RGB to the luma plane of I420 as core::BgrToYuv makes it (libyuv, BT.601 limited range):
// Y = (66 R + 129 G + 25 B + 4224) >> 8, to the level. Draw into an R8 target of the image's
// size with fullscreen.vert.

precision highp float;
precision highp int;

uniform sampler2D u_image;  // RGBA8, read with texelFetch

out vec4 o_y;

void main() {
  ivec3 c = ivec3(texelFetch(u_image, ivec2(gl_FragCoord.xy), 0).rgb * 255.0 + 0.5);
  int y = (66 * c.r + 129 * c.g + 25 * c.b + 4224) >> 8;
  o_y = vec4(float(y) / 255.0, 0.0, 0.0, 1.0);
}
