// Sorting pseudo-random u32 arrays: quicksort (median of three, insertion sort for short runs)
// and heapsort; checksum over the sorted data (and a sortedness check).
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define N 20000
#else
#define N 600000
#endif

static volatile uint32_t seed_v = 2463534242u;
static uint32_t a[N];

static void fill(uint32_t s) {
  for (uint32_t i = 0; i < N; ++i) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    a[i] = s;
  }
}

static void swap(uint32_t* x, uint32_t* y) { uint32_t t = *x; *x = *y; *y = t; }

static void insertion(uint32_t* v, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; ++i) {
    uint32_t x = v[i];
    int32_t j = i - 1;
    while (j >= lo && v[j] > x) { v[j + 1] = v[j]; --j; }
    v[j + 1] = x;
  }
}

__attribute__((noinline)) static void quicksort(uint32_t* v, int32_t lo, int32_t hi) {
  while (hi - lo > 16) {
    int32_t mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap(&v[mid], &v[lo]);
    if (v[hi] < v[lo]) swap(&v[hi], &v[lo]);
    if (v[hi] < v[mid]) swap(&v[hi], &v[mid]);
    uint32_t pivot = v[mid];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) ++i;
      while (v[j] > pivot) --j;
      if (i <= j) { swap(&v[i], &v[j]); ++i; --j; }
    }
    // recurse into the smaller half, loop on the larger
    if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
    else { quicksort(v, i, hi); hi = j; }
  }
  insertion(v, lo, hi);
}

static void sift_down(uint32_t* v, uint32_t root, uint32_t n) {
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    swap(&v[root], &v[child]);
    root = child;
  }
}

__attribute__((noinline)) static void heapsort(uint32_t* v, uint32_t n) {
  for (uint32_t i = n / 2; i-- > 0;) sift_down(v, i, n);
  for (uint32_t end = n - 1; end > 0; --end) {
    swap(&v[0], &v[end]);
    sift_down(v, 0, end);
  }
}

static uint32_t check(void) {
  uint32_t h = 2166136261u, bad = 0;
  for (uint32_t i = 0; i < N; ++i) {
    if (i && a[i - 1] > a[i]) ++bad;
    if ((i & 1023) == 0) h = (h ^ a[i]) * 16777619u;
  }
  return h + bad * 0x9e3779b9u;
}

EXPORT uint32_t run(void) {
  uint32_t s = seed_v;
  fill(s);
  quicksort(a, 0, N - 1);
  uint32_t h = check();
  fill(s ^ 0x5bd1e995u);
  heapsort(a, N);
  return h * 31u + check();
}
