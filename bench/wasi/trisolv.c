// trisolv: forward substitution L x = b for a lower-triangular L, repeated with b taken from the
// previous x (normalized).
#include "bench.h"

#define N BENCH_SIZE(1500, 32)
#define REPS BENCH_SIZE(120, 2)

static double L[N][N], x[N], b[N];

static void init(void) {
  for (long i = 0; i < N; ++i) {
    b[i] = frac(i + 1, N);
    for (long j = 0; j <= i; ++j) L[i][j] = i == j ? 2.0 + frac(i, N) : frac(i + N - j + 1, N) / N;
  }
}

NOINLINE static void trisolv(void) {
  for (int i = 0; i < N; ++i) {
    double v = b[i];
    for (int j = 0; j < i; ++j) v -= L[i][j] * x[j];
    x[i] = v / L[i][i];
  }
}

int main(void) {
  init();
  uint32_t h = HASH_SEED;
  for (int r = 0; r < REPS; ++r) {
    trisolv();
    h = hash_double(h, x[r % N]);
    for (int i = 0; i < N; ++i) b[i] = x[i];
    normalize(b, N);
  }
  print_checksum(hash_doubles(h, x, N));
  return 0;
}
