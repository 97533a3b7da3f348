// Relaxed SIMD (WebAssembly 3.0): each instruction may return any of a set of results; Loom makes
// ONE fixed choice per instruction, the result x86-64 SSE4.1/AVX gives natively where the spec
// allows it, so that the JIT tier (src/jit) can match the interpreter with one instruction (or
// the short sequence named below). The table with the reasons is docs/relaxed-simd.md; change a
// row there and here together, and in the JIT's lowering.
//
//   instruction                          Loom's result                           x86-64
//   i8x16.relaxed_swizzle                selector >= 128 -> 0, else a[s & 15]     pshufb
//   i32x4.relaxed_trunc_f32x4_s          NaN / out of range -> INT32_MIN          cvttps2dq
//   i32x4.relaxed_trunc_f64x2_s_zero     NaN / out of range -> INT32_MIN          cvttpd2dq
//   i32x4.relaxed_trunc_f32x4_u / _zero  saturating (= trunc_sat_*_u)            (no SSE4.1 form)
//   f32x4/f64x2.relaxed_madd             a * b + c, two roundings (unfused)       mulps + addps
//   f32x4/f64x2.relaxed_nmadd            -(a * b) + c, two roundings              mulps + subps
//   i8x16/i16x8.relaxed_laneselect       per byte: top bit of m's byte            pblendvb
//   i32x4/i64x2.relaxed_laneselect       per lane: top bit of m's lane            blendvps/pd
//   f32x4/f64x2.relaxed_min              a < b ? a : b                            minps/minpd
//   f32x4/f64x2.relaxed_max              a > b ? a : b                            maxps/maxpd
//   i16x8.relaxed_q15mulr_s              (-32768)^2 wraps to -32768               pmulhrsw
//   i16x8.relaxed_dot_i8x16_i7x16_s      a signed * b unsigned, i16 saturated     pmaddubsw(b, a)
//   i32x4.relaxed_dot_..._add_s          the i16x8 dot above, pairs summed, + c   pmaddubsw,
//                                                                                pmaddwd 1, paddd
#pragma once
#include "interp/simd.hpp"

namespace loom::simd {

inline V128 relaxed_swizzle(const V128& a, const V128& selector) {
  V128 r;
  for (uint32_t i = 0; i < 16; ++i) r[i] = selector[i] & 0x80 ? 0 : a[selector[i] & 15];
  return r;
}

// cvttps2dq / cvttpd2dq: the "integer indefinite" value for NaN and every out-of-range input.
template <typename F>
inline int32_t relaxed_trunc_s(F x) {
  if (!(x > F(-2147483649.0) && x < F(2147483648.0))) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(x);
}
template <typename I>
inline V128 relaxed_trunc_f64x2_zero(const V128& v) {
  const Lanes<double> x = as_lanes<double>(v);
  Lanes<I> r{};
  for (uint32_t i = 0; i < 2; ++i) {
    if constexpr (std::is_signed_v<I>)
      r[i] = relaxed_trunc_s(x[i]);
    else
      r[i] = numeric::trunc_sat<I>(x[i]);
  }
  return from_lanes(r);
}

// Unfused: the product is rounded before the addition (the interpreter builds with
// -ffp-contract=off, so the compiler does not fuse these either).
template <typename F>
inline F relaxed_madd(F a, F b, F c) {
  const F product = a * b;
  return product + c;
}
template <typename F>
inline F relaxed_nmadd(F a, F b, F c) {
  const F product = a * b;
  return c - product;
}
template <typename F>
inline V128 madd_lanes(const V128& a, const V128& b, const V128& c, bool negate) {
  const Lanes<F> x = as_lanes<F>(a), y = as_lanes<F>(b), z = as_lanes<F>(c);
  Lanes<F> r;
  for (uint32_t i = 0; i < kLaneCount<F>; ++i) {
    r[i] = negate ? relaxed_nmadd(x[i], y[i], z[i]) : relaxed_madd(x[i], y[i], z[i]);
  }
  return from_lanes(r);
}
template <typename F>
inline V128 relaxed_madd_v(const V128& a, const V128& b, const V128& c) {
  return madd_lanes<F>(a, b, c, false);
}
template <typename F>
inline V128 relaxed_nmadd_v(const V128& a, const V128& b, const V128& c) {
  return madd_lanes<F>(a, b, c, true);
}

// Lane L of the result is a's where the top bit of m's lane L is set, else b's. For i16x8 Loom
// uses byte lanes (pblendvb), which the spec allows for 16-bit masks that are not all-ones/zeros.
template <typename L>
inline V128 relaxed_laneselect(const V128& a, const V128& b, const V128& mask) {
  using S = std::make_signed_t<L>;
  const Lanes<L> x = as_lanes<L>(a), y = as_lanes<L>(b);
  const Lanes<S> m = as_lanes<S>(mask);
  Lanes<L> r;
  for (uint32_t i = 0; i < kLaneCount<L>; ++i) r[i] = m[i] < 0 ? x[i] : y[i];
  return from_lanes(r);
}

// minps/maxps: the second operand when either is NaN or both are zeros (of either sign).
template <typename F>
inline F relaxed_min(F a, F b) {
  return a < b ? a : b;
}
template <typename F>
inline F relaxed_max(F a, F b) {
  return a > b ? a : b;
}

// pmulhrsw: like q15mulr_sat, but (-32768 * -32768) wraps to -32768 instead of saturating.
inline int16_t relaxed_q15mulr(int16_t a, int16_t b) {
  return static_cast<int16_t>(static_cast<uint16_t>((int32_t{a} * int32_t{b} + 0x4000) >> 15));
}

// pmaddubsw(b, a): b's bytes unsigned, a's signed, each pair's sum saturated to i16.
inline V128 relaxed_dot_i8x16_i7x16_s(const V128& a, const V128& b) {
  const Lanes<int8_t> x = as_lanes<int8_t>(a);
  const Lanes<uint8_t> y = as_lanes<uint8_t>(b);
  Lanes<int16_t> r;
  for (uint32_t i = 0; i < 8; ++i) {
    r[i] = saturate<int16_t>(int64_t{x[2 * i]} * y[2 * i] + int64_t{x[2 * i + 1]} * y[2 * i + 1]);
  }
  return from_lanes(r);
}
// The i16 dot above, adjacent pairs summed to i32 (pmaddwd with ones), plus c (wrapping).
inline V128 relaxed_dot_i8x16_i7x16_add_s(const V128& a, const V128& b, const V128& c) {
  const Lanes<int16_t> dot = as_lanes<int16_t>(relaxed_dot_i8x16_i7x16_s(a, b));
  const Lanes<uint32_t> acc = as_lanes<uint32_t>(c);
  Lanes<uint32_t> r;
  for (uint32_t i = 0; i < 4; ++i) {
    r[i] = acc[i] + static_cast<uint32_t>(int32_t{dot[2 * i]} + int32_t{dot[2 * i + 1]});
  }
  return from_lanes(r);
}

}  // namespace loom::simd
