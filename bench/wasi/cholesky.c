// cholesky: in-place Cholesky factorization A = L L^T of a symmetric diagonally dominant matrix
// (positive definite); the lower triangle becomes L.
#include "bench.h"

#define N BENCH_SIZE(1000, 24)

static double A[N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j <= i; ++j) {
      double v = i == j ? (double)N : frac(i * j + i + j + 1, N) - 0.5;
      A[i][j] = v;
      A[j][i] = v;
    }
}

NOINLINE static void cholesky(void) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < i; ++j) {
      double v = A[i][j];
      for (int k = 0; k < j; ++k) v -= A[i][k] * A[j][k];
      A[i][j] = v / A[j][j];
    }
    double d = A[i][i];
    for (int k = 0; k < i; ++k) d -= A[i][k] * A[i][k];
    A[i][i] = __builtin_sqrt(d);
  }
}

int main(void) {
  init();
  cholesky();
  uint32_t h = HASH_SEED;
  for (int i = 0; i < N; ++i) h = hash_doubles(h, A[i], i + 1);
  print_checksum(h);
  return 0;
}
