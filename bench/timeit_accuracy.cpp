// How close prof::compare and prof::timeit come to ratios known by construction (a chain of dependent
// floating-point operations: time proportional to its steps). The tests only check what a busy machine
// cannot break; run this on a quiet one: `build/bin/timeit_accuracy` (docs/PERFORMANCE.md, "Timer harness").
#include <cmath>
#include <cstdio>

#include <prof/prof.hpp>

namespace {

[[gnu::noinline]] double dependent_chain(double x, int steps) {
  for (int i = 0; i < steps; ++i)
    x = x * 1.0000001 + 1e-7;
  return x;
}

[[gnu::noinline]] double dependent_chain_copy(double x, int steps) {
  for (int i = 0; i < steps; ++i)
    x = x * 1.0000001 + 1e-7;
  return x;
}

void report(const char* what, double measured, double truth) {
  std::printf("%-32s %.4f (truth %.1f, error %+.2f %%)\n", what, measured, truth,
              (measured / truth - 1) * 100);
}

}  // namespace

int main() {
  double x = 1;
  int steps = 400;
  prof::do_not_optimize(steps);
  prof::CompareOptions options;
  options.round_time = 0.002;
  options.time_budget = 2.0;
  auto twice = prof::compare(
      "twice", [&] { prof::do_not_optimize(dependent_chain(x, 2 * steps)); }, "once",
      [&] { prof::do_not_optimize(dependent_chain(x, steps)); }, options);
  report("compare: twice / once", twice.ratio, 2);
  auto copy = prof::compare(
      "original", [&] { prof::do_not_optimize(dependent_chain(x, steps)); }, "copy",
      [&] { prof::do_not_optimize(dependent_chain_copy(x, steps)); }, options);
  report("compare: original / copy", copy.ratio, 1);
  std::printf("  %s\n", copy.verdict().c_str());

  prof::TimeitOptions timing;
  timing.min_run_time = 0.002;
  timing.runs = 15;
  auto once = prof::timeit(
      "chain once", [&] { prof::do_not_optimize(dependent_chain(x, steps)); }, timing);
  auto two = prof::timeit(
      "chain twice", [&] { prof::do_not_optimize(dependent_chain(x, 2 * steps)); }, timing);
  report("timeit: min twice / min once", two.min / once.min, 2);
  return 0;
}
