// Shared helpers of the WASI benchmark suite (bench/wasi/*.c). Each benchmark is one C file built
// twice from the same source: natively (clang -O2) and as a wasm32-wasi command; both print the
// same lines, so run.py compares an engine's whole stdout with native's.
#ifndef LOOM_BENCH_WASI_BENCH_H
#define LOOM_BENCH_WASI_BENCH_H

#include <stdint.h>
#include <stdio.h>

// BENCH_SIZE(full, quick): a problem size; -DQUICK builds the tiny inputs of the smoke test.
#ifdef QUICK
#define BENCH_SIZE(full, quick) (quick)
#else
#define BENCH_SIZE(full, quick) (full)
#endif

// Keeps a kernel out of main, so the compiler cannot specialise it for the one call site.
#define NOINLINE __attribute__((noinline))

// FNV-1a over 32-bit words: every bit of every value counts, so a result rounded differently by
// an engine changes the checksum.
static inline uint32_t hash_u32(uint32_t h, uint32_t v) {
  for (int i = 0; i < 4; ++i) h = (h ^ ((v >> (8 * i)) & 0xffu)) * 16777619u;
  return h;
}

static inline uint32_t hash_double(uint32_t h, double d) {
  union {
    double d;
    uint64_t u;
  } bits = {d};
  h = hash_u32(h, (uint32_t)bits.u);
  return hash_u32(h, (uint32_t)(bits.u >> 32));
}

static inline uint32_t hash_doubles(uint32_t h, const double* v, long n) {
  for (long i = 0; i < n; ++i) h = hash_double(h, v[i]);
  return h;
}

static inline uint32_t hash_ints(uint32_t h, const int32_t* v, long n) {
  for (long i = 0; i < n; ++i) h = hash_u32(h, (uint32_t)v[i]);
  return h;
}

#define HASH_SEED 2166136261u

// The one line every benchmark prints (run.py compares whole outputs; this is what it shows).
static inline void print_checksum(uint32_t checksum) {
  printf("checksum %08x\n", checksum);
}

// Inputs in [0, 1): exact small fractions from integer formulas, identical on every target.
static inline double frac(long a, long m) {
  return (double)(a % m) / (double)m;
}

// Scales v so its largest magnitude is 1: repeated matrix-vector products stay bounded, and each
// repetition depends on the previous one (no repetition can be skipped).
static inline void normalize(double* v, long n) {
  double m = 0.0;
  for (long i = 0; i < n; ++i) m = __builtin_fabs(v[i]) > m ? __builtin_fabs(v[i]) : m;
  if (m > 0.0)
    for (long i = 0; i < n; ++i) v[i] /= m;
}

#endif
