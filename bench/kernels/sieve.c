// Sieve of Eratosthenes over a byte array, repeated; checksum from prime count and sum.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define LIMIT 40000u
#define REPS 12
#else
#define LIMIT 4000000u
#define REPS 12
#endif

static volatile uint32_t limit_v = LIMIT;
static uint8_t composite[LIMIT + 1];

__attribute__((noinline)) static uint32_t sieve(uint32_t limit, uint32_t round) {
  // Mark with the round number instead of clearing the array (no memset needed).
  uint8_t mark = (uint8_t)(round + 1);
  uint32_t count = 0, sum = 0;
  for (uint32_t i = 2; i <= limit; ++i) {
    if (composite[i] == mark) continue;
    ++count;
    sum += i;
    if ((uint64_t)i * i <= limit)
      for (uint32_t j = i * i; j <= limit; j += i) composite[j] = mark;
  }
  return count * 2654435761u ^ sum;
}

EXPORT uint32_t run(void) {
  uint32_t limit = limit_v, h = 0;
  for (uint32_t r = 0; r < REPS; ++r) h = h * 31u + sieve(limit - r * 1000u, r);
  return h;
}
