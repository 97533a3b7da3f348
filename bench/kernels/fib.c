// Recursive Fibonacci: call-heavy (tens of millions of calls), tiny frames.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#ifdef QUICK  // tiny input for the smoke test (bench/wasi/run.py --check)
#define FIB_N 22
#else
#define FIB_N 37
#endif
static volatile uint32_t input_n = FIB_N;  // volatile: the compiler cannot fold the answer

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

EXPORT uint32_t run(void) {
  uint32_t n = input_n, sum = 0;
  for (uint32_t i = 0; i < 3; ++i) sum = sum * 31u + fib(n - i);
  return sum;
}
