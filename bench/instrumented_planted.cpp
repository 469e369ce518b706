// Ground truth for prof_instrument (docs/PERFORMANCE.md, "Every function a scope"): functions that spin for
// planted times, built with -finstrument-functions and no macro. bench/instrumented_planted.sh compares the
// report's calls, self and total times with what is planted here.
#include <stdio.h>
#include <time.h>

namespace {

__attribute__((no_instrument_function)) long now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

// Not a scope itself: its time belongs to the function that spins.
__attribute__((no_instrument_function)) void spin(long ns) {
  long end = now_ns() + ns;
  while (now_ns() < end) {
  }
}

__attribute__((noinline)) void inner() {
  spin(100'000);  // 10 calls per outer(): 20 x 10 x 100 us = 20 ms total
}

__attribute__((noinline)) void outer() {
  spin(2'000'000);  // 20 calls: 40 ms self
  for (int i = 0; i < 10; ++i)
    inner();
}

__attribute__((noinline)) void tiny() {
  spin(500);  // 200 000 calls: 100 ms total, each short enough that the hooks' cost matters
}

__attribute__((noinline)) void many_small() {
  for (int i = 0; i < 200'000; ++i)
    tiny();
}

}  // namespace

int main() {
  // What 200 000 spins of 500 ns really take here (each overshoots by part of a clock read): tiny()'s truth.
  long start = now_ns();
  for (int i = 0; i < 200'000; ++i)
    spin(500);
  printf("tiny_reference_ms %.3f\n", static_cast<double>(now_ns() - start) / 1e6);
  for (int i = 0; i < 20; ++i)
    outer();
  many_small();
  return 0;
}
