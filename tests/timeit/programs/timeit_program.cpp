// Makes one Timing and one Comparison and prints their numbers exactly, for the end-to-end test to find again
// in the snapshot libprof writes at exit.

#include <cstdio>

#include <prof/prof.hpp>

int main() {
  double x = 1;
  auto work = [&] {
    for (int i = 0; i < 100; ++i)
      x = x * 0.9999999 + 1e-7;
    prof::do_not_optimize(x);
  };
  prof::Timing t = prof::timeit("program timing", work, {.min_run_time = 0.005, .runs = 3});
  prof::Comparison c =
      prof::compare("program a", work, "program b", work, {.round_time = 0.001, .time_budget = 0.2});
  std::printf("%.17g %.17g\n", t.median, c.ratio);
  return 0;
}
