// wide-arithmetic (proposal) semantics: 128-bit add/sub of (lo, hi) i64 pairs and the full
// 128-bit product of two i64, as pure functions (interpreter: wide_ops.inc; unit tests).
#pragma once
#include <cstdint>

namespace loom::wide {

struct Pair {
  uint64_t lo;
  uint64_t hi;
};

inline Pair add128(uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi) {
  const uint64_t lo = a_lo + b_lo;
  return {lo, a_hi + b_hi + (lo < a_lo ? 1 : 0)};
}
inline Pair sub128(uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi) {
  return {a_lo - b_lo, a_hi - b_hi - (a_lo < b_lo ? 1 : 0)};
}
// Unsigned 64 x 64 -> 128 from 32-bit halves (no compiler extension needed).
inline Pair mul_wide_u(uint64_t a, uint64_t b) {
  const uint64_t a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t middle = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return {(middle << 32) | (p00 & 0xffffffff), p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32)};
}
// Signed: the unsigned product, minus b << 64 when a < 0 and a << 64 when b < 0.
inline Pair mul_wide_s(uint64_t a, uint64_t b) {
  Pair r = mul_wide_u(a, b);
  if (static_cast<int64_t>(a) < 0) r.hi -= b;
  if (static_cast<int64_t>(b) < 0) r.hi -= a;
  return r;
}

}  // namespace loom::wide
