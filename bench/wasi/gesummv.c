// gesummv: y = alpha * A x + beta * B x, repeated with x taken from the previous y (normalized).
#include "bench.h"

#define N BENCH_SIZE(1000, 32)
#define REPS BENCH_SIZE(120, 2)

static double A[N][N], B[N][N], x[N], y[N], tmp[N];

static void init(void) {
  for (long i = 0; i < N; ++i) {
    x[i] = frac(i, N);
    for (long j = 0; j < N; ++j) {
      A[i][j] = frac(i * j + 1, N);
      B[i][j] = frac(i * j + 2, N);
    }
  }
}

NOINLINE static void gesummv(double alpha, double beta) {
  for (int i = 0; i < N; ++i) {
    double t = 0.0, u = 0.0;
    for (int j = 0; j < N; ++j) {
      t += A[i][j] * x[j];
      u += B[i][j] * x[j];
    }
    tmp[i] = t;
    y[i] = alpha * t + beta * u;
  }
}

int main(void) {
  init();
  uint32_t h = HASH_SEED;
  for (int r = 0; r < REPS; ++r) {
    gesummv(1.5, 1.2);
    h = hash_double(h, y[r % N]);
    for (int i = 0; i < N; ++i) x[i] = y[i];
    normalize(x, N);
  }
  print_checksum(hash_doubles(h, y, N));
  return 0;
}
