// Lane-wise semantics of the WebAssembly 2.0 SIMD (v128) instructions, exactly as the spec defines
// them: saturating arithmetic, narrowing/widening, q15 multiplication, float min/max/pmin/pmax,
// saturating float->int conversion, bitmasks, swizzle/shuffle and shifts with masked counts.
// Pure functions over 16-byte values, shared by the interpreter (simd_ops.inc) and unit tests.
//
// A V128 is 16 bytes in wasm lane order (lane 0 at byte 0, little-endian lanes), which is the
// host's memory order: Loom assumes a little-endian host, like the scalar interpreter.
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "interp/numeric.hpp"

namespace loom::simd {

using V128 = std::array<uint8_t, 16>;

template <typename L>
inline constexpr uint32_t kLaneCount = 16 / sizeof(L);
template <typename L>
using Lanes = std::array<L, kLaneCount<L>>;
// The unsigned integer of a lane's width: comparison results are all-ones / all-zeros masks.
template <typename L>
using MaskOf =
    std::conditional_t<sizeof(L) == 1, uint8_t,
                       std::conditional_t<sizeof(L) == 2, uint16_t,
                                          std::conditional_t<sizeof(L) == 4, uint32_t, uint64_t>>>;

// ---- representation ----
inline V128 load(const uint8_t* p) {
  V128 v;
  std::memcpy(v.data(), p, 16);
  return v;
}
inline void store(uint8_t* p, const V128& v) {
  std::memcpy(p, v.data(), 16);
}

template <typename L>
inline Lanes<L> as_lanes(const V128& v) {
  Lanes<L> lanes;
  std::memcpy(lanes.data(), v.data(), 16);
  return lanes;
}
template <typename L>
inline V128 from_lanes(const Lanes<L>& lanes) {
  V128 v;
  std::memcpy(v.data(), lanes.data(), 16);
  return v;
}

// Lane access; the index is masked to the lane count (the validator already checked it).
template <typename L>
inline L lane(const V128& v, uint32_t index) {
  L x;
  std::memcpy(&x, v.data() + (index & (kLaneCount<L> - 1)) * sizeof(L), sizeof(L));
  return x;
}
template <typename L>
inline V128 with_lane(V128 v, uint32_t index, L x) {
  std::memcpy(v.data() + (index & (kLaneCount<L> - 1)) * sizeof(L), &x, sizeof(L));
  return v;
}
template <typename L>
inline V128 splat(L x) {
  Lanes<L> lanes;
  lanes.fill(x);
  return from_lanes(lanes);
}

// Applies `f` to each lane (TA in, TR out; both the same width).
template <typename TR, typename TA, typename F>
inline V128 map(const V128& a, F f) {
  static_assert(sizeof(TR) == sizeof(TA));
  const Lanes<TA> x = as_lanes<TA>(a);
  Lanes<TR> r;
  for (uint32_t i = 0; i < kLaneCount<TA>; ++i) r[i] = f(x[i]);
  return from_lanes(r);
}
template <typename TR, typename TA, typename F>
inline V128 zip(const V128& a, const V128& b, F f) {
  static_assert(sizeof(TR) == sizeof(TA));
  const Lanes<TA> x = as_lanes<TA>(a), y = as_lanes<TA>(b);
  Lanes<TR> r;
  for (uint32_t i = 0; i < kLaneCount<TA>; ++i) r[i] = f(x[i], y[i]);
  return from_lanes(r);
}

template <typename L>
inline MaskOf<L> lane_mask(bool condition) {
  return condition ? std::numeric_limits<MaskOf<L>>::max() : MaskOf<L>{0};
}

// ---- integer lanes ----
// Clamps to the range of L (the "sat" of the spec).
template <typename L>
inline L saturate(int64_t v) {
  return static_cast<L>(
      std::clamp<int64_t>(v, std::numeric_limits<L>::min(), std::numeric_limits<L>::max()));
}
template <typename L>
inline L add_sat(L a, L b) {
  static_assert(sizeof(L) <= 2);
  return saturate<L>(int64_t{a} + int64_t{b});
}
template <typename L>
inline L sub_sat(L a, L b) {
  static_assert(sizeof(L) <= 2);
  return saturate<L>(int64_t{a} - int64_t{b});
}
// Rounding average of unsigned lanes: (a + b + 1) / 2 without overflow.
template <typename L>
inline L avgr_u(L a, L b) {
  static_assert(std::is_unsigned_v<L>);
  return static_cast<L>((uint32_t{a} + uint32_t{b} + 1) >> 1);
}
// Q15 fixed-point multiply, rounded, saturated (only -1 * -1 overflows).
inline int16_t q15mulr_sat(int16_t a, int16_t b) {
  return saturate<int16_t>((int32_t{a} * int32_t{b} + 0x4000) >> 15);
}
// Two's complement absolute value and negation: abs(MIN) = MIN, no undefined overflow.
template <typename L>
inline L abs_wrap(L a) {
  using U = std::make_unsigned_t<L>;
  const U u = static_cast<U>(a);
  return static_cast<L>(a < 0 ? static_cast<U>(U{0} - u) : u);
}
template <typename L>
inline L neg_wrap(L a) {
  using U = std::make_unsigned_t<L>;
  return static_cast<L>(static_cast<U>(U{0} - static_cast<U>(a)));
}
// Wrapping multiplication (u16 * u16 would otherwise overflow `int`).
template <typename L>
inline L mul_wrap(L a, L b) {
  return static_cast<L>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

// Shifts: the count is taken modulo the lane width. A signed L shifts arithmetically.
template <typename L>
inline V128 shl(const V128& v, uint32_t count) {
  using U = std::make_unsigned_t<L>;
  const uint32_t n = count & (sizeof(L) * 8 - 1);
  return map<U, U>(v, [n](U x) { return static_cast<U>(x << n); });
}
template <typename L>
inline V128 shr(const V128& v, uint32_t count) {
  const uint32_t n = count & (sizeof(L) * 8 - 1);
  return map<L, L>(v, [n](L x) { return static_cast<L>(x >> n); });
}

// Narrowing: lanes of `a` then lanes of `b`, each saturated to Out (In is signed).
template <typename Out, typename In>
inline V128 narrow(const V128& a, const V128& b) {
  static_assert(sizeof(Out) * 2 == sizeof(In));
  const Lanes<In> x = as_lanes<In>(a), y = as_lanes<In>(b);
  Lanes<Out> r;
  constexpr uint32_t n = kLaneCount<In>;
  for (uint32_t i = 0; i < n; ++i) {
    r[i] = saturate<Out>(x[i]);
    r[n + i] = saturate<Out>(y[i]);
  }
  return from_lanes(r);
}

// Widening of the low or high half; Narrow's signedness picks sign or zero extension.
template <typename Wide, typename Narrow>
inline Lanes<Wide> widen_half(const V128& v, bool high) {
  static_assert(sizeof(Wide) == 2 * sizeof(Narrow));
  const Lanes<Narrow> x = as_lanes<Narrow>(v);
  Lanes<Wide> r;
  const uint32_t base = high ? kLaneCount<Wide> : 0;
  for (uint32_t i = 0; i < kLaneCount<Wide>; ++i) r[i] = static_cast<Wide>(x[base + i]);
  return r;
}
template <typename Wide, typename Narrow>
inline V128 extend_low(const V128& v) {
  return from_lanes(widen_half<Wide, Narrow>(v, false));
}
template <typename Wide, typename Narrow>
inline V128 extend_high(const V128& v) {
  return from_lanes(widen_half<Wide, Narrow>(v, true));
}

// Extended multiplication: widen the halves, then multiply (the product always fits).
template <typename Wide, typename Narrow>
inline V128 extmul(const V128& a, const V128& b, bool high) {
  const Lanes<Wide> x = widen_half<Wide, Narrow>(a, high), y = widen_half<Wide, Narrow>(b, high);
  Lanes<Wide> r;
  for (uint32_t i = 0; i < kLaneCount<Wide>; ++i) r[i] = mul_wrap(x[i], y[i]);
  return from_lanes(r);
}
template <typename Wide, typename Narrow>
inline V128 extmul_low(const V128& a, const V128& b) {
  return extmul<Wide, Narrow>(a, b, false);
}
template <typename Wide, typename Narrow>
inline V128 extmul_high(const V128& a, const V128& b) {
  return extmul<Wide, Narrow>(a, b, true);
}

// Sum of adjacent lane pairs, widened.
template <typename Wide, typename Narrow>
inline V128 extadd_pairwise(const V128& v) {
  const Lanes<Narrow> x = as_lanes<Narrow>(v);
  Lanes<Wide> r;
  for (uint32_t i = 0; i < kLaneCount<Wide>; ++i) {
    r[i] = static_cast<Wide>(static_cast<Wide>(x[2 * i]) + static_cast<Wide>(x[2 * i + 1]));
  }
  return from_lanes(r);
}

// i32x4.dot_i16x8_s: pairwise products summed; only (-32768)^2 * 2 wraps (to INT32_MIN).
inline V128 dot_i16x8_s(const V128& a, const V128& b) {
  const Lanes<int16_t> x = as_lanes<int16_t>(a), y = as_lanes<int16_t>(b);
  Lanes<uint32_t> r;
  for (uint32_t i = 0; i < 4; ++i) {
    const int64_t sum = int64_t{x[2 * i]} * y[2 * i] + int64_t{x[2 * i + 1]} * y[2 * i + 1];
    r[i] = static_cast<uint32_t>(sum);
  }
  return from_lanes(r);
}

// ---- reductions to i32 ----
template <typename L>
inline uint32_t bitmask(const V128& v) {
  using S = std::make_signed_t<L>;
  const Lanes<S> x = as_lanes<S>(v);
  uint32_t bits = 0;
  for (uint32_t i = 0; i < kLaneCount<L>; ++i) bits |= uint32_t{x[i] < 0} << i;
  return bits;
}
template <typename L>
inline uint32_t all_true(const V128& v) {
  const Lanes<L> x = as_lanes<L>(v);
  return std::all_of(x.begin(), x.end(), [](L e) { return e != 0; });
}
inline uint32_t any_true(const V128& v) {
  return std::any_of(v.begin(), v.end(), [](uint8_t e) { return e != 0; });
}

// ---- byte permutations ----
// i8x16.swizzle: selector bytes >= 16 give 0.
inline V128 swizzle(const V128& a, const V128& selector) {
  V128 r;
  for (uint32_t i = 0; i < 16; ++i) r[i] = selector[i] < 16 ? a[selector[i]] : 0;
  return r;
}
// i8x16.shuffle: indices 0..15 pick from `a`, 16..31 from `b` (validated to be < 32).
inline V128 shuffle(const V128& a, const V128& b, const V128& indices) {
  V128 r;
  for (uint32_t i = 0; i < 16; ++i) {
    const uint32_t index = indices[i] & 31;
    r[i] = index < 16 ? a[index] : b[index - 16];
  }
  return r;
}
inline V128 bitselect(const V128& a, const V128& b, const V128& mask) {
  const Lanes<uint64_t> x = as_lanes<uint64_t>(a), y = as_lanes<uint64_t>(b),
                        m = as_lanes<uint64_t>(mask);
  return from_lanes(
      Lanes<uint64_t>{(x[0] & m[0]) | (y[0] & ~m[0]), (x[1] & m[1]) | (y[1] & ~m[1])});
}

// ---- float lanes ----
// Pseudo-min/max: exactly `b < a ? b : a` and `a < b ? b : a` (NaN and -0 pass through as is).
template <typename F>
inline F pmin(F a, F b) {
  return b < a ? b : a;
}
template <typename F>
inline F pmax(F a, F b) {
  return a < b ? b : a;
}

// ceil/floor/trunc/nearest per lane. A NaN lane gets its quiet bit set explicitly: the inline
// (vectorized) expansions of std::ceil & co. pass a signaling NaN through unchanged, but the spec
// requires an arithmetic NaN.
template <typename F>
inline F quiet_nan(F a) {
  using Bits = MaskOf<F>;
  constexpr Bits quiet_bit = Bits{1} << (std::numeric_limits<F>::digits - 2);
  return std::bit_cast<F>(static_cast<Bits>(std::bit_cast<Bits>(a) | quiet_bit));
}
template <typename F>
inline F ceil(F a) {
  return std::isnan(a) ? quiet_nan(a) : std::ceil(a);
}
template <typename F>
inline F floor(F a) {
  return std::isnan(a) ? quiet_nan(a) : std::floor(a);
}
template <typename F>
inline F trunc(F a) {
  return std::isnan(a) ? quiet_nan(a) : std::trunc(a);
}
template <typename F>
inline F nearest(F a) {
  return std::isnan(a) ? quiet_nan(a) : numeric::nearest(a);
}

// i32x4.trunc_sat_f64x2_{s,u}_zero: two converted lanes, then two zero lanes.
template <typename I>
inline V128 trunc_sat_f64x2_zero(const V128& v) {
  const Lanes<double> x = as_lanes<double>(v);
  Lanes<I> r{};
  r[0] = numeric::trunc_sat<I>(x[0]);
  r[1] = numeric::trunc_sat<I>(x[1]);
  return from_lanes(r);
}
// f64x2.convert_low_i32x4_{s,u}: the two low lanes, exactly.
template <typename I>
inline V128 convert_low(const V128& v) {
  const Lanes<I> x = as_lanes<I>(v);
  return from_lanes(Lanes<double>{static_cast<double>(x[0]), static_cast<double>(x[1])});
}
inline V128 demote_f64x2_zero(const V128& v) {
  const Lanes<double> x = as_lanes<double>(v);
  return from_lanes(Lanes<float>{static_cast<float>(x[0]), static_cast<float>(x[1]), 0.0f, 0.0f});
}
inline V128 promote_low_f32x4(const V128& v) {
  const Lanes<float> x = as_lanes<float>(v);
  return from_lanes(Lanes<double>{static_cast<double>(x[0]), static_cast<double>(x[1])});
}

// ---- memory forms (p points at the accessed bytes, already bounds checked) ----
// v128.loadNxM_{s,u}: 8 bytes of Narrow lanes, each extended to Wide.
template <typename Wide, typename Narrow>
inline V128 load_extend(const uint8_t* p) {
  Lanes<Narrow> x{};
  std::memcpy(x.data(), p, 8);
  return extend_low<Wide, Narrow>(from_lanes(x));
}
template <typename L>
inline V128 load_splat(const uint8_t* p) {
  L x;
  std::memcpy(&x, p, sizeof x);
  return splat(x);
}
template <typename L>
inline V128 load_zero(const uint8_t* p) {
  V128 v{};
  std::memcpy(v.data(), p, sizeof(L));
  return v;
}

}  // namespace loom::simd
