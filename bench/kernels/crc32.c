// Table-driven CRC-32 (IEEE, reflected) over a 1 MiB buffer, many passes.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#define SIZE (1u << 20)
#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define PASSES 1
#else
#define PASSES 32
#endif

static volatile uint32_t seed_v = 0xdeadbeefu;
static uint8_t buf[SIZE];
static uint32_t table[256];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

__attribute__((noinline)) static uint32_t crc32(const uint8_t* p, uint32_t n, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

EXPORT uint32_t run(void) {
  make_table();
  uint32_t s = seed_v;
  for (uint32_t i = 0; i < SIZE; ++i) {
    s = s * 1664525u + 1013904223u;
    buf[i] = (uint8_t)(s >> 24);
  }
  uint32_t crc = 0;
  for (uint32_t pass = 0; pass < PASSES; ++pass) {
    crc = crc32(buf, SIZE, crc);
    buf[(crc >> 12) % SIZE] ^= (uint8_t)pass;
  }
  return crc;
}
