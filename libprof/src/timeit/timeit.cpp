#include <algorithm>
#include <cstdio>

#include <prof/timeit.hpp>

#include "timeit/format.hpp"
#include "timeit/measure.hpp"
#include "timeit/recording.hpp"
#include "timeit/statistics.hpp"

namespace prof::detail {

namespace {

// Spread beyond which a timing is flagged: the coefficient of variation of its runs.
constexpr double kNoisyVariation = 0.05;
// A run must last this many clock steps for the clock's own error to stay below 0.1 %.
constexpr double kClockSteps = 1000;

void summarise(Timing& t) {
  t.min = *std::min_element(t.samples.begin(), t.samples.end());
  t.median = stats::median(t.samples);
  t.mean = stats::mean(t.samples);
  t.stddev = stats::stddev(t.samples);
  t.mad = stats::mad(t.samples);
  stats::Interval interval = stats::median_interval(t.samples, 0.95);
  t.ci_low = interval.low;
  t.ci_high = interval.high;
  t.ci_confidence = interval.confidence;
}

void flag_noise(Timing& t, double shortest_run) {
  double granularity = timeit_internal::clock_granularity();
  char reason[160];
  if (shortest_run < kClockSteps * granularity) {
    std::snprintf(reason, sizeof reason, "runs of %s are too short for the clock (steps of %s)",
                  timeit_internal::format_seconds(shortest_run).c_str(),
                  timeit_internal::format_seconds(granularity).c_str());
  } else if (t.mean > 0 && t.stddev / t.mean > kNoisyVariation) {
    std::snprintf(reason, sizeof reason, "coefficient of variation %.1f %% above %.0f %%",
                  100 * t.stddev / t.mean, 100 * kNoisyVariation);
  } else {
    return;
  }
  t.noisy = true;
  t.noisy_reason = reason;
}

}  // namespace

Timing timeit(std::string_view name, Loop loop, const TimeitOptions& options) {
  Timing t;
  t.name = std::string(name);
  t.runs = std::max<std::size_t>(options.runs, 1);
  if (options.loops > 0) {
    t.loops = options.loops;
    if (options.warmup) {
      if (options.setup) options.setup();
      loop.run(loop.callable, t.loops);
    }
  } else {
    t.loops = timeit_internal::autorange(loop, options.min_run_time.count(), options.setup);
  }
  t.loop_overhead = timeit_internal::loop_overhead_per_call();

  double shortest_run = 0;
  for (std::size_t run = 0; run < t.runs; ++run) {
    if (options.setup) options.setup();
    double elapsed = loop.run(loop.callable, t.loops);
    shortest_run = run == 0 ? elapsed : std::min(shortest_run, elapsed);
    t.samples.push_back(timeit_internal::per_call(elapsed, t.loops, t.loop_overhead));
  }
  summarise(t);
  flag_noise(t, shortest_run);
  if (options.record) timeit_internal::record(t);
  return t;
}

}  // namespace prof::detail
