#version 330 core
// I420 planes to RGB as core::YuvToBgr shows them, to the level: libswscale's conversion
// (BT.601 limited range, Y 16..235) in its own fixed point, each chroma sample shared by its
// 2x2 block of pixels. Samples are scaled by 8 and centred (Y - 16, U - 128, V - 128), each
// term is floor(sample * coefficient / 65536) as x86's pmulhw gives it, with libswscale's
// coefficients (its BT.601 table scaled by 2^13 and rounded: 255/219 -> 9539, 1.596 -> 13075,
// 2.018 -> 16525, 0.392 -> 3209, 0.813 -> 6660), and the sums are clamped to 0..255.
// Draw into a target of the luma plane's size with fullscreen.vert.

precision highp float;
precision highp int;

uniform sampler2D u_y;  // R8 planes, read with texelFetch
uniform sampler2D u_u;
uniform sampler2D u_v;

out vec4 o_color;

int Level(sampler2D plane, ivec2 p) { return int(texelFetch(plane, p, 0).r * 255.0 + 0.5); }

// floor(a * b / 65536): GLSL's >> on a signed int extends the sign.
int MulHigh(int a, int b) { return (a * b) >> 16; }

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  int y = MulHigh(8 * Level(u_y, p) - 128, 9539);
  int u = 8 * Level(u_u, p / 2) - 1024;
  int v = 8 * Level(u_v, p / 2) - 1024;
  ivec3 rgb = ivec3(y + MulHigh(v, 13075), y + MulHigh(u, -3209) + MulHigh(v, -6660),
                    y + MulHigh(u, 16525));
  o_color = vec4(vec3(clamp(rgb, 0, 255)) / 255.0, 1.0);
}
