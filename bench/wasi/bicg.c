// bicg: the two products of BiCG, s = A^T r and q = A p, repeated with p and r fed back.
#include "bench.h"

#define N BENCH_SIZE(1100, 30)
#define M BENCH_SIZE(1000, 34)
#define REPS BENCH_SIZE(150, 2)

static double A[N][M], s[M], q[N], p[M], r[N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < M; ++j) A[i][j] = frac(i * (j + 1) + 3, N);
  for (long j = 0; j < M; ++j) p[j] = frac(j, M);
  for (long i = 0; i < N; ++i) r[i] = frac(i, N);
}

NOINLINE static void bicg(void) {
  for (int j = 0; j < M; ++j) s[j] = 0.0;
  for (int i = 0; i < N; ++i) {
    double qi = 0.0;
    for (int j = 0; j < M; ++j) {
      s[j] += r[i] * A[i][j];
      qi += A[i][j] * p[j];
    }
    q[i] = qi;
  }
}

int main(void) {
  init();
  uint32_t h = HASH_SEED;
  for (int rep = 0; rep < REPS; ++rep) {
    bicg();
    h = hash_double(hash_double(h, s[rep % M]), q[rep % N]);
    for (int j = 0; j < M; ++j) p[j] = s[j];
    for (int i = 0; i < N; ++i) r[i] = q[i];
    normalize(p, M);
    normalize(r, N);
  }
  print_checksum(hash_doubles(hash_doubles(h, s, M), q, N));
  return 0;
}
