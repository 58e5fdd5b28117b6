#version 330 core
// The appearance pass (src/looks/cpu_looks.h is the reference): each fragment of a face's mesh
// samples the canonical layers at its interpolated texel point and shades the warped frame's
// pixel with the face's look. Fragments where every layer weight is 0 are discarded.

precision highp float;
precision highp int;

#include "appearance_shade.glsl"

uniform sampler2D u_image;   // the warped frame before any look; texelFetch only
uniform sampler2D u_layers;  // the canonical layers, RGBA8; texelFetch only
uniform ivec2 u_image_size;
uniform ivec2 u_layers_size;
uniform int u_tap_step;

in vec2 v_texel;
out vec4 o_color;

// Bilinear, clamped to the edge, on the layers' 8-bit values (as looks::SampleLayers).
vec4 SampleLayers(vec2 t) {
  t = clamp(t, vec2(0.0), vec2(u_layers_size - 1));
  ivec2 i0 = ivec2(t);
  ivec2 i1 = min(i0 + 1, u_layers_size - 1);
  vec2 f = t - vec2(i0);
  vec4 a = floor(texelFetch(u_layers, i0, 0) * 255.0 + 0.5);
  vec4 b = floor(texelFetch(u_layers, ivec2(i1.x, i0.y), 0) * 255.0 + 0.5);
  vec4 c = floor(texelFetch(u_layers, ivec2(i0.x, i1.y), 0) * 255.0 + 0.5);
  vec4 d = floor(texelFetch(u_layers, i1, 0) * 255.0 + 0.5);
  vec4 top = a + (b - a) * f.x;
  vec4 bottom = c + (d - c) * f.x;
  return top + (bottom - top) * f.y;
}

vec3 Fetch(ivec2 p) { return texelFetch(u_image, clamp(p, ivec2(0), u_image_size - 1), 0).rgb; }

// Mean of the pixel at p and its four neighbours, each clamped to the image.
vec3 ReadPlus(ivec2 p) {
  vec3 sum = Fetch(p);
  sum += Fetch(p + ivec2(-1, 0));
  sum += Fetch(p + ivec2(1, 0));
  sum += Fetch(p + ivec2(0, -1));
  sum += Fetch(p + ivec2(0, 1));
  return sum * 0.2;
}

void main() {
  ivec2 x = ivec2(gl_FragCoord.xy);
  vec3 c0 = texelFetch(u_image, x, 0).rgb;
  LayerWeights w = WeighLayers(SampleLayers(v_texel));
  // Nothing to draw: keep what the target holds (an earlier face's look where meshes overlap).
  if (!AnyWeight(w)) discard;
  vec3 edge = c0;
  vec3 mean = c0;
  if (NeedsTaps(w)) {
    vec3 edge_sum = vec3(0.0);
    vec3 mean_sum = vec3(0.0);
    float edge_w = 0.0;
    float mean_w = 0.0;
    for (int i = 0; i < kNumTaps; ++i) {
      vec3 c = ReadPlus(x + kTapOffsets[i] * u_tap_step);
      float ws = kTapWeights[i];
      float we = ws * RangeWeight(c, c0);
      edge_sum += we * c;
      mean_sum += ws * c;
      edge_w += we;
      mean_w += ws;
    }
    edge = edge_sum / edge_w;
    mean = mean_sum / mean_w;
  }
  o_color = vec4(Shade(w, c0, edge, mean), 1.0);
}
