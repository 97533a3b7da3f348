// mvt: x1 += A y1 and x2 += A^T y2, repeated with the vectors fed back (normalized).
#include "bench.h"

#define N BENCH_SIZE(1200, 32)
#define REPS BENCH_SIZE(50, 2)

static double A[N][N], x1[N], x2[N], y1[N], y2[N];

static void init(void) {
  for (long i = 0; i < N; ++i) {
    x1[i] = frac(i, N);
    x2[i] = frac(i + 1, N);
    y1[i] = frac(i + 3, N);
    y2[i] = frac(i + 4, N);
    for (long j = 0; j < N; ++j) A[i][j] = frac(i * j, N);
  }
}

NOINLINE static void mvt(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) x1[i] += A[i][j] * y1[j];
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) x2[i] += A[j][i] * y2[j];
}

int main(void) {
  init();
  uint32_t h = HASH_SEED;
  for (int r = 0; r < REPS; ++r) {
    mvt();
    normalize(x1, N);
    normalize(x2, N);
    h = hash_double(hash_double(h, x1[r % N]), x2[r % N]);
    for (int i = 0; i < N; ++i) {
      y1[i] = x2[i];
      y2[i] = x1[i];
    }
  }
  print_checksum(hash_doubles(hash_doubles(h, x1, N), x2, N));
  return 0;
}
