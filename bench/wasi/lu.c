// lu: in-place LU decomposition without pivoting (Doolittle) of a diagonally dominant matrix.
#include "bench.h"

#define N BENCH_SIZE(850, 24)

static double A[N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < N; ++j) A[i][j] = i == j ? (double)N : frac(i * j + i + 1, N) - 0.5;
}

NOINLINE static void lu(void) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < i; ++j) {
      double v = A[i][j];
      for (int k = 0; k < j; ++k) v -= A[i][k] * A[k][j];
      A[i][j] = v / A[j][j];
    }
    for (int j = i; j < N; ++j) {
      double v = A[i][j];
      for (int k = 0; k < i; ++k) v -= A[i][k] * A[k][j];
      A[i][j] = v;
    }
  }
}

int main(void) {
  init();
  lu();
  print_checksum(hash_doubles(HASH_SEED, &A[0][0], (long)N * N));
  return 0;
}
