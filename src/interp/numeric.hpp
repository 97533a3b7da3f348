// Scalar semantics of WebAssembly numeric instructions, exactly as the spec defines them:
// trapping division and conversions, masked shifts, IEEE min/max with signed zeros and NaN
// propagation, round-half-to-even `nearest`, saturating conversions. Pure functions shared by the
// interpreter (and later the JIT's slow paths and constant folding).
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "runtime/trap.hpp"

namespace loom::numeric {

// ---- integers (unsigned arithmetic: wrap-around is defined) ----
template <typename U>
inline U shl(U a, U b) {
  return a << (b & (sizeof(U) * 8 - 1));
}
template <typename U>
inline U shr_u(U a, U b) {
  return a >> (b & (sizeof(U) * 8 - 1));
}
template <typename U>
inline U shr_s(U a, U b) {
  using S = std::make_signed_t<U>;
  return static_cast<U>(static_cast<S>(a) >> (b & (sizeof(U) * 8 - 1)));
}
template <typename U>
inline U rotl(U a, U b) {
  return std::rotl(a, static_cast<int>(b & (sizeof(U) * 8 - 1)));
}
template <typename U>
inline U rotr(U a, U b) {
  return std::rotr(a, static_cast<int>(b & (sizeof(U) * 8 - 1)));
}

// Division: returns the trap, if any; the quotient/remainder in `out`.
template <typename U>
inline std::optional<TrapKind> div_s(U a, U b, U& out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return TrapKind::IntegerDivideByZero;
  if (static_cast<S>(a) == std::numeric_limits<S>::min() && static_cast<S>(b) == -1) {
    return TrapKind::IntegerOverflow;
  }
  out = static_cast<U>(static_cast<S>(a) / static_cast<S>(b));
  return std::nullopt;
}
template <typename U>
inline std::optional<TrapKind> div_u(U a, U b, U& out) {
  if (b == 0) return TrapKind::IntegerDivideByZero;
  out = a / b;
  return std::nullopt;
}
template <typename U>
inline std::optional<TrapKind> rem_s(U a, U b, U& out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return TrapKind::IntegerDivideByZero;
  // INT_MIN % -1 is 0 in wasm but undefined in C++.
  out = static_cast<S>(b) == -1 ? 0 : static_cast<U>(static_cast<S>(a) % static_cast<S>(b));
  return std::nullopt;
}
template <typename U>
inline std::optional<TrapKind> rem_u(U a, U b, U& out) {
  if (b == 0) return TrapKind::IntegerDivideByZero;
  out = a % b;
  return std::nullopt;
}

template <typename U, typename From>
inline U extend_s(U a) {  // sign-extend the low bits of `a` that fit in From
  return static_cast<U>(static_cast<std::make_signed_t<U>>(static_cast<From>(a)));
}

// ---- floats ----
template <typename F>
inline F canonical_nan() {
  return std::numeric_limits<F>::quiet_NaN();
}

// Which NaN comes out of a binary operation is pinned, so both tiers (and every C++ compiler)
// agree bit for bit: the first NaN operand, quieted. That is what x86's SSE arithmetic does with
// the first operand in the destination register, as the JIT emits it; a compiler is free to
// commute `a + b` and `a * b`, so the interpreter's commutative float operations repin it.
template <typename F>
inline F quiet_nan_of(F a) {
  if constexpr (sizeof(F) == 4) {
    return std::bit_cast<F>(std::bit_cast<uint32_t>(a) | 0x00400000u);
  } else {
    return std::bit_cast<F>(std::bit_cast<uint64_t>(a) | 0x0008000000000000ull);
  }
}
template <typename F>
inline F propagate_nan(F a, F b) {  // at least one of them is a NaN
  return std::isnan(a) ? quiet_nan_of(a) : quiet_nan_of(b);
}
// `result` is `a op b` computed by C++; only a NaN result from a NaN operand needs repinning
// (a NaN made from numbers, such as inf - inf, is the FPU's default NaN on both tiers).
template <typename F>
inline F pin_nan_operand(F a, F b, F result) {
  return std::isnan(result) && (std::isnan(a) || std::isnan(b)) ? propagate_nan(a, b) : result;
}
template <typename F>
inline F fadd(F a, F b) {
  return pin_nan_operand(a, b, a + b);
}
template <typename F>
inline F fmul(F a, F b) {
  return pin_nan_operand(a, b, a * b);
}

// NaN in, NaN out (the first NaN operand, quieted); otherwise IEEE with -0 < +0.
template <typename F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return propagate_nan(a, b);
  if (a == b) return std::signbit(a) ? a : b;  // min(-0, +0) = -0
  return a < b ? a : b;
}
template <typename F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return propagate_nan(a, b);
  if (a == b) return std::signbit(a) ? b : a;  // max(-0, +0) = +0
  return a > b ? a : b;
}
// Rounding: a NaN operand must come back quiet (an arithmetic NaN), which the C library's
// rounding functions do not guarantee for signaling NaNs; `a + a` quiets it.
template <typename F>
inline F ceil(F a) {
  return std::isnan(a) ? a + a : std::ceil(a);
}
template <typename F>
inline F floor(F a) {
  return std::isnan(a) ? a + a : std::floor(a);
}
template <typename F>
inline F trunc(F a) {
  return std::isnan(a) ? a + a : std::trunc(a);
}
// Round to nearest, ties to even (the default rounding mode of the host FPU).
template <typename F>
inline F nearest(F a) {
  return std::isnan(a) ? a + a : std::nearbyint(a);
}

// Sign and magnitude operations are bit operations: they never change a NaN's payload.
inline float fabs_bits(float a) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(a) & 0x7fffffffu);
}
inline double fabs_bits(double a) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(a) & 0x7fffffffffffffffull);
}
inline float fneg_bits(float a) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(a) ^ 0x80000000u);
}
inline double fneg_bits(double a) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(a) ^ 0x8000000000000000ull);
}
inline float copysign_bits(float a, float b) {
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & 0x7fffffffu) |
                              (std::bit_cast<uint32_t>(b) & 0x80000000u));
}
inline double copysign_bits(double a, double b) {
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & 0x7fffffffffffffffull) |
                               (std::bit_cast<uint64_t>(b) & 0x8000000000000000ull));
}

// ---- float -> int ----
// True when trunc(a) fits in I. The bounds are exact powers of two, so they are representable.
template <typename F>
constexpr F power_of_two(unsigned n) {
  return n < 64 ? static_cast<F>(uint64_t{1} << n) : static_cast<F>(uint64_t{1} << 63) * F(2);
}

// Compares after truncation, so e.g. -2147483648.9 (f64) still converts to INT32_MIN.
template <typename I, typename F>
inline bool trunc_in_range(F a) {
  const F t = std::trunc(a);
  if constexpr (std::is_signed_v<I>) {
    constexpr F lower = -power_of_two<F>(sizeof(I) * 8 - 1);  // -2^(N-1)
    return t >= lower && t < -lower;
  } else {
    constexpr F upper = power_of_two<F>(sizeof(I) * 8);  // 2^N
    return t >= F(0) && t < upper;
  }
}

template <typename I, typename F>
inline std::optional<TrapKind> trunc(F a, I& out) {
  if (std::isnan(a)) return TrapKind::InvalidConversionToInteger;
  if (!trunc_in_range<I>(a)) return TrapKind::IntegerOverflow;
  out = static_cast<I>(a);
  return std::nullopt;
}

template <typename I, typename F>
inline I trunc_sat(F a) {
  if (std::isnan(a)) return 0;
  if (trunc_in_range<I>(a)) return static_cast<I>(a);
  return a < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

}  // namespace loom::numeric
