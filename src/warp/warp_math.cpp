// Fold-over bound of the local translation warp. Pure.
#include "warp/warp_math.h"

#include <limits>

namespace fw::warp {

double FoldOverStrengthLimit(double r, double d) {
  if (!(r > 0.0) || !(d > 0.0)) return std::numeric_limits<double>::infinity();
  // With q = |x - c|^2, t = r^2 - q and A = r^2 + d^2, |grad(k^2)| = 4 sqrt(q) t d^2 / (A - q)^3.
  // Its log-derivative in q vanishes where 3q^2 - (5r^2 - 3A) q - r^2 A = 0; the product of
  // the roots is negative, so the positive root is the single interior maximum (it lies in
  // (0, r^2): the quadratic is -r^2 A at q = 0 and 2 r^2 d^2 at q = r^2). Where b < 0 (d above
  // about 0.8 r) the same root is computed as 2 r^2 A / (root - b), free of cancellation.
  const double r2 = r * r;
  const double d2 = d * d;
  const double a = r2 + d2;
  const double b = 5.0 * r2 - 3.0 * a;
  const double root = std::sqrt(b * b + 12.0 * r2 * a);
  const double q = b >= 0.0 ? (b + root) / 6.0 : 2.0 * r2 * a / (root - b);
  const double t = r2 - q;
  const double denom = t + d2;
  const double grad_max = 4.0 * std::sqrt(q) * t * d2 / (denom * denom * denom);
  return 1.0 / (grad_max * d);
}

}  // namespace fw::warp
