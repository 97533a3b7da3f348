// Base64 encoding of a 1 MiB buffer (repeated), checksum over the encoded text.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#define SIZE (3u << 18)  // 768 KiB, a multiple of 3
#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define PASSES 1
#else
#define PASSES 48
#endif

static volatile uint32_t seed_v = 0x12345678u;
static uint8_t in[SIZE];
static uint8_t out[SIZE / 3 * 4];
static const char alphabet[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

__attribute__((noinline)) static uint32_t encode(const uint8_t* src, uint32_t n, uint8_t* dst) {
  uint32_t o = 0;
  for (uint32_t i = 0; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
    dst[o] = (uint8_t)alphabet[v >> 18];
    dst[o + 1] = (uint8_t)alphabet[(v >> 12) & 63];
    dst[o + 2] = (uint8_t)alphabet[(v >> 6) & 63];
    dst[o + 3] = (uint8_t)alphabet[v & 63];
    o += 4;
  }
  return o;
}

__attribute__((noinline)) static uint32_t digest(const uint8_t* p, uint32_t n, uint32_t h) {
  for (uint32_t i = 0; i < n; i += 4)
    h = (h ^ ((uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
              (uint32_t)p[i + 3] << 24)) * 16777619u;
  return h;
}

EXPORT uint32_t run(void) {
  uint32_t s = seed_v;
  for (uint32_t i = 0; i < SIZE; ++i) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    in[i] = (uint8_t)s;
  }
  uint32_t h = 2166136261u;
  for (uint32_t pass = 0; pass < PASSES; ++pass) {
    uint32_t n = encode(in, SIZE, out);
    h = digest(out, n, h);
    in[h % SIZE] ^= (uint8_t)(h >> 8);
  }
  return h;
}
