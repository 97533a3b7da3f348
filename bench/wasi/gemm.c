// gemm: C = alpha * A * B + beta * C on dense double matrices (i-k-j loop order).
#include "bench.h"

#define NI BENCH_SIZE(640, 20)
#define NJ BENCH_SIZE(660, 22)
#define NK BENCH_SIZE(680, 24)

static double A[NI][NK], B[NK][NJ], C[NI][NJ];

static void init(void) {
  for (long i = 0; i < NI; ++i)
    for (long j = 0; j < NJ; ++j) C[i][j] = frac(i * j + 1, NI);
  for (long i = 0; i < NI; ++i)
    for (long k = 0; k < NK; ++k) A[i][k] = frac(i * (k + 1), NK);
  for (long k = 0; k < NK; ++k)
    for (long j = 0; j < NJ; ++j) B[k][j] = frac(k * (j + 2), NJ);
}

NOINLINE static void gemm(double alpha, double beta) {
  for (int i = 0; i < NI; ++i) {
    for (int j = 0; j < NJ; ++j) C[i][j] *= beta;
    for (int k = 0; k < NK; ++k) {
      double a = alpha * A[i][k];
      for (int j = 0; j < NJ; ++j) C[i][j] += a * B[k][j];
    }
  }
}

int main(void) {
  init();
  gemm(1.5, 1.2);
  print_checksum(hash_doubles(HASH_SEED, &C[0][0], (long)NI * NJ));
  return 0;
}
