// floyd-warshall: all-pairs shortest paths on a dense graph of int32 edge weights.
#include "bench.h"

#define N BENCH_SIZE(700, 24)
#define NO_EDGE 1000000  // larger than any path, small enough that two of them do not overflow

static int32_t path[N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < N; ++j) {
      if (i == j)
        path[i][j] = 0;
      else if ((i * 7 + j * 3) % 5 == 0)
        path[i][j] = (int32_t)((i * j) % 97 + 1);
      else
        path[i][j] = NO_EDGE;
    }
}

NOINLINE static void floyd_warshall(void) {
  for (int k = 0; k < N; ++k)
    for (int i = 0; i < N; ++i) {
      int32_t ik = path[i][k];
      for (int j = 0; j < N; ++j) {
        int32_t through = ik + path[k][j];
        if (through < path[i][j]) path[i][j] = through;
      }
    }
}

int main(void) {
  init();
  floyd_warshall();
  print_checksum(hash_ints(HASH_SEED, &path[0][0], (long)N * N));
  return 0;
}
