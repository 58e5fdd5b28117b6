// Gustafsson's local warps as inverse maps, mirroring src/warp/warp_math.h in float32. The
// per-op constants come precomputed from warp::PackWarpPlan (src/warp/uniform_pack.h):
//   geom = (c.x, c.y, r^2, 1/r)
//   translation: warp = (s*(m-c).x, s*(m-c).y, |m-c|^2, 0);  scaling: warp = (0, 0, -1, a)

// Local translation warp: identity outside |x - c| < r.
vec2 TranslationWarp(vec2 x, vec4 geom, vec4 warp) {
  vec2 d = x - geom.xy;
  float t = geom.z - dot(d, d);
  if (t <= 0.0) return x;
  float k = t / (t + warp.z);
  return x - (k * k) * warp.xy;
}

// Local scaling warp: identity outside |x - c| < r.
vec2 ScalingWarp(vec2 x, vec4 geom, vec4 warp) {
  vec2 d = x - geom.xy;
  float d2 = dot(d, d);
  if (d2 >= geom.z) return x;
  float w = sqrt(d2) * geom.w - 1.0;
  return geom.xy + (1.0 - warp.w * w * w) * d;
}
