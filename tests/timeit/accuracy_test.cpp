// Ground truth: workloads whose true ratio is known by construction. The tests check what no busy neighbour
// can break (ordering, significance of a 2x difference, the interval around the ratio, counts); how close
// the ratios come to 2 and 1 on a quiet machine is measured by bench/timeit_accuracy (docs/PERFORMANCE.md).

#include <algorithm>

#include <catch2/catch.hpp>
#include <prof/timeit.hpp>

#include "workloads.hpp"

using namespace prof;
using prof::test::dependent_chain;
using prof::test::dependent_chain_copy;

namespace {

CompareOptions quick() {
  CompareOptions options;
  options.round_time = 0.002;
  options.time_budget = 2.0;
  return options;
}

}  // namespace

TEST_CASE("twice the dependent arithmetic compares as slower, significant", "[accuracy]") {
  double x = 1;
  int steps = 400;
  do_not_optimize(steps);
  Comparison c = compare(
      "twice", [&] { do_not_optimize(dependent_chain(x, 2 * steps)); }, "once",
      [&] { do_not_optimize(dependent_chain(x, steps)); }, quick());
  INFO(c << " after " << c.rounds << " rounds");
  CHECK(c.ratio > 1);
  CHECK(c.low <= c.ratio);
  CHECK(c.ratio <= c.high);
  CHECK(c.significant);
  CHECK(c.rounds >= 12);
  CHECK(c.rounds == c.ratios.size());
  CHECK(c.verdict().rfind("twice is ", 0) == 0);
  CHECK(c.verdict().find("x slower than once (") != std::string::npos);

  // The other way round it is twice as fast.
  Comparison reversed = compare(
      "once", [&] { do_not_optimize(dependent_chain(x, steps)); }, "twice",
      [&] { do_not_optimize(dependent_chain(x, 2 * steps)); }, quick());
  INFO(reversed);
  CHECK(reversed.ratio < 1);
  CHECK(reversed.significant);
  CHECK(reversed.verdict().find("x faster than twice (") != std::string::npos);
}

TEST_CASE("a function against a copy of itself: a ratio near 1 named in the verdict", "[accuracy]") {
  double x = 1;
  int steps = 600;
  do_not_optimize(steps);
  Comparison c = compare(
      "original", [&] { do_not_optimize(dependent_chain(x, steps)); }, "copy",
      [&] { do_not_optimize(dependent_chain_copy(x, steps)); }, quick());
  INFO(c << " after " << c.rounds << " rounds");
  // Far from 2 or 1/2 whatever the load; whether it is significant is a 5 % coin even on a quiet machine.
  CHECK(c.ratio > 0.67);
  CHECK(c.ratio < 1.5);
  CHECK(c.low <= c.ratio);
  CHECK(c.ratio <= c.high);
  CHECK(c.verdict().find("original") != std::string::npos);
  CHECK(c.verdict().find("copy") != std::string::npos);
}

TEST_CASE("timeit measures twice the work as more time", "[accuracy]") {
  double x = 1;
  int steps = 400;
  do_not_optimize(steps);
  TimeitOptions options;
  options.min_run_time = 0.002;
  options.runs = 15;
  // Separate timings are not paired like compare's rounds, so a busy machine can slow one and not the other:
  // alternate them and keep each one's fastest run (interference only ever adds time).
  double once_min = 1, twice_min = 1;
  for (int repeat = 0; repeat < 3; ++repeat) {
    Timing once = timeit(
        "chain once", [&] { do_not_optimize(dependent_chain(x, steps)); }, options);
    Timing twice = timeit(
        "chain twice", [&] { do_not_optimize(dependent_chain(x, 2 * steps)); }, options);
    INFO(once << "\n" << twice);
    CHECK(once.ci_low <= once.median);
    CHECK(once.median <= once.ci_high);
    CHECK(once.min <= once.median);
    once_min = std::min(once_min, once.min);
    twice_min = std::min(twice_min, twice.min);
  }
  CHECK(twice_min > once_min);
}
