// atax: y = A^T (A x), repeated with x taken from the previous y (normalized).
#include "bench.h"

#define M BENCH_SIZE(1000, 30)
#define N BENCH_SIZE(1100, 34)
#define REPS BENCH_SIZE(120, 2)

static double A[M][N], x[N], y[N], tmp[M];

static void init(void) {
  for (long i = 0; i < M; ++i)
    for (long j = 0; j < N; ++j) A[i][j] = frac(i + j * 7 + 1, N);
  for (long j = 0; j < N; ++j) x[j] = 1.0 + frac(j, N);
}

NOINLINE static void atax(void) {
  for (int j = 0; j < N; ++j) y[j] = 0.0;
  for (int i = 0; i < M; ++i) {
    double t = 0.0;
    for (int j = 0; j < N; ++j) t += A[i][j] * x[j];
    tmp[i] = t;
    for (int j = 0; j < N; ++j) y[j] += A[i][j] * t;
  }
}

int main(void) {
  init();
  uint32_t h = HASH_SEED;
  for (int r = 0; r < REPS; ++r) {
    atax();
    h = hash_double(h, y[r % N]);
    for (int j = 0; j < N; ++j) x[j] = y[j];
    normalize(x, N);
  }
  print_checksum(hash_doubles(h, y, N));
  return 0;
}
