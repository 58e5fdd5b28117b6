// The per-pixel maths of the appearance layers, in float, exactly as shaders/appearance.glsl
// writes it (the GL tests hold the two together). Colours are RGB in [0, 1]. Pure, inline.
#pragma once

#include <algorithm>
#include <cmath>

namespace fw::looks {

// The 13 taps of the edge-preserving filter: offsets (in units of the face's tap step) with
// |dx| + |dy| <= 2 and their spatial weights exp(-(dx^2 + dy^2) / (2 * 2^2)). Each tap reads
// the mean of a plus of 5 pixels, so that taps a step of 2 or more apart still filter the
// finest texture.
inline constexpr int kNumTaps = 13;
inline constexpr int kTapOffsets[kNumTaps][2] = {{0, -2}, {-1, -1}, {0, -1}, {1, -1}, {-2, 0},
                                                 {-1, 0}, {0, 0},   {1, 0},  {2, 0},  {-1, 1},
                                                 {0, 1},  {1, 1},   {0, 2}};
inline constexpr float kTapWeights[kNumTaps] = {0.6065f, 0.7788f, 0.8825f, 0.7788f, 0.6065f,
                                                0.8825f, 1.0000f, 0.8825f, 0.6065f, 0.7788f,
                                                0.8825f, 0.7788f, 0.6065f};
// Colour distance (RGB, squared) at which a tap's weight has fallen to a quarter.
inline constexpr float kRangeSigma2 = 0.12f * 0.12f;

inline float RangeWeight(const float a[3], const float b[3]) {
  const float d2 =
      (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]);
  const float q = 1.0f / (1.0f + d2 / kRangeSigma2);
  return q * q;
}

// What one face's look needs besides the pixel: strengths and colours sampled on the face.
struct ShadeParams {
  float age = 0.0f;
  float smooth = 0.0f;
  float skin[3] = {0.0f, 0.0f, 0.0f};        // typical skin colour
  float hair[3] = {0.0f, 0.0f, 0.0f};        // typical hair colour
  float background[3] = {0.0f, 0.0f, 0.0f};  // typical colour around the head
  float hair_confidence = 0.0f;              // 0 where hair cannot be told from skin/background
};

// Weights of the layers at one pixel, from the canonical layers' R, G, B, A sampled bilinearly
// from their 8-bit values (so in [0, 255]; exactly 128 for no shading).
struct LayerWeights {
  float smooth;  // skin smoothing
  float detail;  // skin-texture gain (age)
  float tone;    // desaturation and yellowing (age)
  float shade;   // signed wrinkle shading (age), in [-1, 1]
  float spots;   // age spots (age)
  float hair;    // hair region (age)
};

inline LayerWeights WeighLayers(const ShadeParams& p, const float texel[4]) {
  LayerWeights w;
  const float skin = texel[1] * (1.0f / 255.0f);
  w.smooth = p.smooth * skin;
  w.detail = 0.7f * p.age * skin;
  w.tone = p.age * skin;
  w.shade = std::clamp((texel[0] - 128.0f) * (1.0f / 127.0f) * p.age * 0.6f, -1.0f, 1.0f);
  w.spots = p.age * texel[3] * (1.0f / 255.0f);
  w.hair = p.age * texel[2] * (1.0f / 255.0f) * p.hair_confidence;
  return w;
}

inline bool AnyWeight(const LayerWeights& w) {
  return w.smooth > 0.0f || w.detail > 0.0f || w.shade != 0.0f || w.spots > 0.0f || w.hair > 0.0f;
}

inline bool NeedsTaps(const LayerWeights& w) { return w.smooth > 0.0f || w.detail > 0.0f; }

inline float Luma(const float c[3]) { return 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2]; }

inline float Distance2(const float a[3], const float b[3]) {
  return (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
         (a[2] - b[2]) * (a[2] - b[2]);
}

inline float SmoothStep(float e0, float e1, float x) {
  const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

// c0: the pixel; edge: the edge-preserving mean of the taps; mean: their plain weighted mean
// (both c0 where NeedsTaps is false). Writes the shaded pixel, clamped to [0, 1].
inline void Shade(const ShadeParams& p, const LayerWeights& w, const float c0[3],
                  const float edge[3], const float mean[3], float out[3]) {
  float c[3];
  for (int i = 0; i < 3; ++i) {
    c[i] = c0[i] + (edge[i] - c0[i]) * w.smooth;
    c[i] = c[i] + (c0[i] - mean[i]) * w.detail;
  }
  // Older skin: a little greyer and yellower, with brownish spots.
  const float y = Luma(c);
  // Yellowing along a direction of no luminance (0.299 * 0.025 + 0.587 * 0.005 = 0.114 * 0.09).
  const float tone[3] = {0.025f, 0.005f, -0.09f};
  const float spot[3] = {0.10f, 0.16f, 0.24f};
  for (int i = 0; i < 3; ++i) {
    c[i] = c[i] + (y - c[i]) * (0.3f * w.tone);
    c[i] = c[i] + y * tone[i] * w.tone;
    c[i] = c[i] * (1.0f - spot[i] * w.spots);
  }
  // Wrinkles: soft light (pegtop) on luminance, so the face keeps its own tone and light.
  const float b = 0.5f + 0.5f * w.shade;
  const float l = std::clamp(Luma(c), 0.0f, 1.0f);
  const float lit = (1.0f - 2.0f * b) * l * l + 2.0f * b * l;
  for (float& channel : c) channel += lit - l;
  // Hair: where the colour is nearer the face's hair colour than its skin and background,
  // toward a lighter grey that keeps the strands' own light and shade.
  if (w.hair > 0.0f) {
    const float d_hair = std::sqrt(Distance2(c0, p.hair));
    const float d_other = std::sqrt(std::min(Distance2(c0, p.skin), Distance2(c0, p.background)));
    // Mixed pixels at the hairline are neither: they must also lie near the hair colour.
    const float hairness = SmoothStep(0.6f, 0.85f, d_other / (d_other + d_hair + 1e-4f)) *
                           (1.0f - SmoothStep(0.15f, 0.3f, d_hair));
    const float k = 0.7f * w.hair * hairness;
    const float grey = std::min(1.0f, 0.2f + 1.3f * Luma(c0));
    for (float& channel : c) channel += (grey - channel) * k;
  }
  for (int i = 0; i < 3; ++i) out[i] = std::clamp(c[i], 0.0f, 1.0f);
}

}  // namespace fw::looks
