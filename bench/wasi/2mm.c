// 2mm: D = alpha * A * B * C + beta * D, as two matrix products through a temporary.
#include "bench.h"

#define NI BENCH_SIZE(460, 16)
#define NJ BENCH_SIZE(490, 18)
#define NK BENCH_SIZE(520, 20)
#define NL BENCH_SIZE(550, 22)

static double A[NI][NK], B[NK][NJ], C[NJ][NL], D[NI][NL], tmp[NI][NJ];

static void init(void) {
  for (long i = 0; i < NI; ++i)
    for (long k = 0; k < NK; ++k) A[i][k] = frac(i * k + 1, NI);
  for (long k = 0; k < NK; ++k)
    for (long j = 0; j < NJ; ++j) B[k][j] = frac(k * (j + 1), NJ);
  for (long j = 0; j < NJ; ++j)
    for (long l = 0; l < NL; ++l) C[j][l] = frac(j * (l + 3) + 1, NL);
  for (long i = 0; i < NI; ++i)
    for (long l = 0; l < NL; ++l) D[i][l] = frac(i * (l + 2), NK);
}

NOINLINE static void two_mm(double alpha, double beta) {
  for (int i = 0; i < NI; ++i) {
    for (int j = 0; j < NJ; ++j) tmp[i][j] = 0.0;
    for (int k = 0; k < NK; ++k) {
      double a = alpha * A[i][k];
      for (int j = 0; j < NJ; ++j) tmp[i][j] += a * B[k][j];
    }
  }
  for (int i = 0; i < NI; ++i) {
    for (int l = 0; l < NL; ++l) D[i][l] *= beta;
    for (int j = 0; j < NJ; ++j) {
      double t = tmp[i][j];
      for (int l = 0; l < NL; ++l) D[i][l] += t * C[j][l];
    }
  }
}

int main(void) {
  init();
  two_mm(1.5, 1.2);
  print_checksum(hash_doubles(HASH_SEED, &D[0][0], (long)NI * NL));
  return 0;
}
