// Planted self time for the comparison with `perf record` (tests/sampling/perf_accuracy_test.cpp): one thread
// runs three functions one after the other, each with its own loop, so the CPU time is the functions' own
// (self) time: spin_sixty 60 %, spin_thirty 30 %, spin_ten 10 % of argv[1] CPU seconds (default 1.5).
// planted_cpu.cpp plants the same shares as total time (all self time in one callee, burn).
#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace {

volatile double g_sink = 0;

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Each function has its own copy of the loop (a macro, not a shared callee), so its samples are its own.
// The clock is read every 50 000 additions: its share stays well under a point.
#define PROF_SPIN(seconds)                         \
  do {                                             \
    double end = thread_cpu_seconds() + (seconds); \
    double x = g_sink;                             \
    while (thread_cpu_seconds() < end)             \
      for (int i = 0; i < 50000; ++i)              \
        x = x * 1.0000001 + 1.0;                   \
    g_sink = x;                                    \
  } while (0)

}  // namespace

extern "C" __attribute__((noinline)) void spin_sixty(double total) {
  PROF_SPIN(0.6 * total);
}
extern "C" __attribute__((noinline)) void spin_thirty(double total) {
  PROF_SPIN(0.3 * total);
}
extern "C" __attribute__((noinline)) void spin_ten(double total) {
  PROF_SPIN(0.1 * total);
}

int main(int argc, char** argv) {
  double total = argc > 1 ? std::atof(argv[1]) : 1.5;
  spin_ten(total);  // the lightest first: the ranking must come from the time, not the order
  spin_sixty(total);
  spin_thirty(total);
  std::printf("planted %.3f s of self time: 60 %% / 30 %% / 10 %%\n", total);
  return 0;
}
