// clocks: clock_time_get and clock_res_get for realtime, monotonic, process and thread CPU time:
// realtime is a plausible date, monotonic never goes backwards, resolutions are positive and at
// most 1 ms for realtime and monotonic; time() and gettimeofday() agree with clock_gettime.
#include "common.h"
#include <sys/time.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct { clockid_t id; const char *name; } clocks[] = {
      {CLOCK_REALTIME, "realtime"},
      {CLOCK_MONOTONIC, "monotonic"},
      {CLOCK_PROCESS_CPUTIME_ID, "process"},
      {CLOCK_THREAD_CPUTIME_ID, "thread"},
  };
  for (int i = 0; i < 4; i++) {
    struct timespec res, a, b;
    int rr = clock_getres(clocks[i].id, &res);
    int ra = clock_gettime(clocks[i].id, &a);
    int rb = clock_gettime(clocks[i].id, &b);
    printf("%s: getres %s, gettime %s\n", clocks[i].name, rr ? errno_name(errno) : "ok",
           ra || rb ? errno_name(errno) : "ok");
    if (!rr) printf("  resolution > 0: %s\n", YESNO(ns(res) > 0));
    if (!rr && i < 2) printf("  resolution <= 1 ms: %s\n", YESNO(ns(res) <= 1000000));
    if (!ra && !rb) printf("  second reading >= first: %s\n", YESNO(ns(b) >= ns(a)));
  }

  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2020 and before 2100: %s\n", YESNO(rt.tv_sec > 1577836800 && rt.tv_sec < 4102444800));
  time_t t = time(NULL);
  printf("time() within 2 s of realtime: %s\n", YESNO(t - rt.tv_sec >= 0 && t - rt.tv_sec <= 2));
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday within 2 s: %s\n", YESNO(tv.tv_sec - rt.tv_sec >= 0 && tv.tv_sec - rt.tv_sec <= 2));

  // Monotonic stays non-decreasing over many readings, and CPU time advances with work.
  struct timespec prev, cur, cpu0, cpu1;
  clock_gettime(CLOCK_MONOTONIC, &prev);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  int backwards = 0;
  volatile unsigned sink = 0;
  for (int i = 0; i < 100000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &cur);
    backwards += ns(cur) < ns(prev);
    prev = cur;
    for (int j = 0; j < 100; j++) sink += j * i;
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  printf("monotonic went backwards: %d times in 100000 readings\n", backwards);
  printf("process CPU time advanced: %s\n", YESNO(ns(cpu1) > ns(cpu0)));
  return 0;
}
