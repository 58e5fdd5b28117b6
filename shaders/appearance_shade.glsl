// The per-pixel maths of the appearance layers, mirroring src/looks/shade.h line for line.

const int kNumTaps = 13;
const ivec2 kTapOffsets[kNumTaps] = ivec2[kNumTaps](
    ivec2(0, -2), ivec2(-1, -1), ivec2(0, -1), ivec2(1, -1), ivec2(-2, 0), ivec2(-1, 0),
    ivec2(0, 0), ivec2(1, 0), ivec2(2, 0), ivec2(-1, 1), ivec2(0, 1), ivec2(1, 1), ivec2(0, 2));
const float kTapWeights[kNumTaps] = float[kNumTaps](
    0.6065, 0.7788, 0.8825, 0.7788, 0.6065, 0.8825, 1.0000, 0.8825, 0.6065, 0.7788, 0.8825, 0.7788, 0.6065);
const float kRangeSigma2 = 0.12 * 0.12;

uniform float u_age;
uniform float u_smooth;
uniform vec3 u_skin;
uniform vec3 u_hair;
uniform vec3 u_background;
uniform float u_hair_confidence;

struct LayerWeights {
  float smooth_;
  float detail;
  float tone;
  float shade;
  float spots;
  float hair;
};

float RangeWeight(vec3 a, vec3 b) {
  vec3 d = a - b;
  float q = 1.0 / (1.0 + dot(d, d) / kRangeSigma2);
  return q * q;
}

LayerWeights WeighLayers(vec4 texel) {
  LayerWeights w;
  float skin = texel.g * (1.0 / 255.0);
  w.smooth_ = u_smooth * skin;
  w.detail = 0.7 * u_age * skin;
  w.tone = u_age * skin;
  w.shade = clamp((texel.r - 128.0) * (1.0 / 127.0) * u_age * 0.6, -1.0, 1.0);
  w.spots = u_age * texel.a * (1.0 / 255.0);
  w.hair = u_age * texel.b * (1.0 / 255.0) * u_hair_confidence;
  return w;
}

bool AnyWeight(LayerWeights w) {
  return w.smooth_ > 0.0 || w.detail > 0.0 || w.shade != 0.0 || w.spots > 0.0 || w.hair > 0.0;
}

bool NeedsTaps(LayerWeights w) { return w.smooth_ > 0.0 || w.detail > 0.0; }

float Luma(vec3 c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; }

float Distance2(vec3 a, vec3 b) {
  vec3 d = a - b;
  return d.x * d.x + d.y * d.y + d.z * d.z;
}

vec3 Shade(LayerWeights w, vec3 c0, vec3 edge, vec3 mean) {
  vec3 c = c0 + (edge - c0) * w.smooth_;
  c = c + (c0 - mean) * w.detail;
  float y = Luma(c);
  vec3 tone = vec3(0.025, 0.005, -0.09);
  vec3 spot = vec3(0.10, 0.16, 0.24);
  c = c + (vec3(y) - c) * (0.3 * w.tone);
  c = c + y * tone * w.tone;
  c = c * (vec3(1.0) - spot * w.spots);
  float b = 0.5 + 0.5 * w.shade;
  float l = clamp(Luma(c), 0.0, 1.0);
  float lit = (1.0 - 2.0 * b) * l * l + 2.0 * b * l;
  c = c + vec3(lit - l);
  if (w.hair > 0.0) {
    float d_hair = sqrt(Distance2(c0, u_hair));
    float d_other = sqrt(min(Distance2(c0, u_skin), Distance2(c0, u_background)));
    float hairness = smoothstep(0.6, 0.85, d_other / (d_other + d_hair + 1e-4)) *
                     (1.0 - smoothstep(0.15, 0.3, d_hair));
    float k = 0.7 * w.hair * hairness;
    float grey = min(1.0, 0.2 + 1.3 * Luma(c0));
    c = c + (vec3(grey) - c) * k;
  }
  return clamp(c, 0.0, 1.0);
}
