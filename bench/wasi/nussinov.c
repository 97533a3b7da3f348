// nussinov: the Nussinov RNA folding dynamic program (maximum number of nested base pairs) over
// a pseudo-random sequence; int32 table, max over split points.
#include "bench.h"

#define N BENCH_SIZE(900, 40)

static int32_t seq[N];
static int32_t table[N][N];

static int32_t max_i32(int32_t a, int32_t b) {
  return a > b ? a : b;
}
static int32_t pairs(int32_t a, int32_t b) {
  return a + b == 3 ? 1 : 0;
}  // A-U, C-G

static void init(void) {
  uint32_t s = 0x2545f491u;
  for (int i = 0; i < N; ++i) {
    s = s * 1103515245u + 12345u;
    seq[i] = (int32_t)((s >> 16) & 3u);
  }
}

NOINLINE static void nussinov(void) {
  for (int i = N - 1; i >= 0; --i)
    for (int j = i + 1; j < N; ++j) {
      int32_t best = table[i][j - 1];
      if (i + 1 < N) {
        best = max_i32(best, table[i + 1][j]);
        int32_t inner = table[i + 1][j - 1] + (i < j - 1 ? pairs(seq[i], seq[j]) : 0);
        best = max_i32(best, inner);
      }
      for (int k = i + 1; k < j; ++k) best = max_i32(best, table[i][k] + table[k + 1][j]);
      table[i][j] = best;
    }
}

int main(void) {
  init();
  nussinov();
  print_checksum(
      hash_ints(hash_u32(HASH_SEED, (uint32_t)table[0][N - 1]), &table[0][0], (long)N * N));
  return 0;
}
