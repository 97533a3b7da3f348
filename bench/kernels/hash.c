// Hashing a 4 MiB buffer in linear memory: FNV-1a (byte at a time) and an xxhash32-like
// 4-lane hash (word at a time), several passes.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#define SIZE (4u << 20)
#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define PASSES 1
#else
#define PASSES 10
#endif

static volatile uint32_t seed_v = 0x9e3779b9u;
static uint8_t buf[SIZE];

static uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static uint32_t load32(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

__attribute__((noinline)) static uint32_t fnv1a(const uint8_t* p, uint32_t n, uint32_t h) {
  for (uint32_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

__attribute__((noinline)) static uint32_t xxh32(const uint8_t* p, uint32_t n, uint32_t seed) {
  uint32_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
  uint32_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v1 = rotl(v1 + load32(p + i) * P2, 13) * P1;
    v2 = rotl(v2 + load32(p + i + 4) * P2, 13) * P1;
    v3 = rotl(v3 + load32(p + i + 8) * P2, 13) * P1;
    v4 = rotl(v4 + load32(p + i + 12) * P2, 13) * P1;
  }
  uint32_t h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18) + n;
  for (; i < n; ++i) h = rotl(h + p[i] * P5, 11) * P1;
  h ^= h >> 15; h *= P2; h ^= h >> 13; h *= P3; h ^= h >> 16;
  return h;
}

EXPORT uint32_t run(void) {
  uint32_t s = seed_v;
  for (uint32_t i = 0; i < SIZE; i += 4) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    buf[i] = (uint8_t)s; buf[i + 1] = (uint8_t)(s >> 8);
    buf[i + 2] = (uint8_t)(s >> 16); buf[i + 3] = (uint8_t)(s >> 24);
  }
  uint32_t h = 2166136261u;
  for (uint32_t pass = 0; pass < PASSES; ++pass) {
    h = fnv1a(buf, SIZE, h);
    h ^= xxh32(buf + pass, SIZE - pass, h);
    buf[pass * 4099u % SIZE] ^= (uint8_t)h;  // make passes differ
  }
  return h;
}
