// Dense f64 matrix multiply (i-k-j order), repeated; checksum mixes the bits of the result.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define N 32
#define REPS 2
#else
#define N 160
#define REPS 72
#endif

static volatile uint32_t seed_v = 12345;
static double A[N][N], B[N][N], C[N][N];

static uint32_t xorshift(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  return *s = x;
}

__attribute__((noinline)) static void matmul(void) {
  for (int i = 0; i < N; ++i) {
    double a0 = A[i][0];
    for (int j = 0; j < N; ++j) C[i][j] = a0 * B[0][j];  // (a zeroing loop would be a memset call)
    for (int k = 1; k < N; ++k) {
      double a = A[i][k];
      for (int j = 0; j < N; ++j) C[i][j] += a * B[k][j];
    }
  }
}

EXPORT uint32_t run(void) {
  uint32_t s = seed_v;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      A[i][j] = (double)(xorshift(&s) % 2001) / 1000.0 - 1.0;
      B[i][j] = (double)(xorshift(&s) % 2001) / 1000.0 - 1.0;
    }
  uint32_t sum = 0;
  for (int r = 0; r < REPS; ++r) {
    matmul();
    // feed the result back so each repetition depends on the previous one
    for (int i = 0; i < N; ++i) A[i][(i + r) % N] = C[i][(i * 7 + r) % N] * 0.001;
    double trace = 0.0;
    for (int i = 0; i < N; ++i) trace += C[i][i];
    union { double d; uint64_t u; } bits = {trace};
    sum = sum * 31u + (uint32_t)bits.u + (uint32_t)(bits.u >> 32);
  }
  return sum;
}
