#include "report/timers/timing_statistics.hpp"

#include <algorithm>
#include <cmath>

#include "timeit/statistics.hpp"

namespace prof::viewer {

TimingStatistics timing_statistics(const Timing& timing) {
  std::span<const double> samples(timing.samples);
  const double nan = NAN;
  auto computed_min = samples.empty() ? nan : *std::min_element(samples.begin(), samples.end());
  TimingStatistics result;
  result.min = timing.min.value_or(computed_min);
  result.median = timing.median.value_or(stats::median(samples));
  result.mean = timing.mean.value_or(stats::mean(samples));
  result.stddev = timing.stddev.value_or(samples.empty() ? nan : stats::stddev(samples));
  result.mad = timing.mad.value_or(stats::mad(samples));
  if (timing.ci_low && timing.ci_high) {
    result.ci_low = *timing.ci_low;
    result.ci_high = *timing.ci_high;
  } else {
    auto interval = samples.empty() ? stats::Interval{nan, nan, 0} : stats::median_interval(samples, 0.95);
    result.ci_low = interval.low;
    result.ci_high = interval.high;
  }
  return result;
}

double smallest_attainable_p(std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return 1;
  // C(n + m, n) built up as a product; it only has to be compared with 2 / alpha, so stop once it is large.
  double ways = 1;
  for (std::size_t i = 1; i <= std::min(n, m) && ways < 1e12; ++i)
    ways = ways * static_cast<double>(n + m - std::min(n, m) + i) / static_cast<double>(i);
  return std::min(1.0, 2 / ways);
}

SampleComparison compare_samples(std::span<const double> before, std::span<const double> after,
                                 double threshold) {
  SampleComparison result;
  result.ratio = stats::median(after) / stats::median(before);
  if (smallest_attainable_p(before.size(), after.size()) > kSignificanceLevel) {
    result.verdict = SampleComparison::Verdict::too_few_samples;
    return result;
  }
  result.p = stats::mann_whitney_u(after, before).p;
  if (result.p < kSignificanceLevel && result.ratio > 1 + threshold)
    result.verdict = SampleComparison::Verdict::regression;
  else if (result.p < kSignificanceLevel && result.ratio < 1 / (1 + threshold))
    result.verdict = SampleComparison::Verdict::improvement;
  return result;
}

const char* verdict_name(SampleComparison::Verdict verdict) {
  switch (verdict) {
    case SampleComparison::Verdict::regression:
      return "regression";
    case SampleComparison::Verdict::improvement:
      return "improvement";
    case SampleComparison::Verdict::no_change:
      return "no significant change";
    case SampleComparison::Verdict::too_few_samples:
      return "too few samples";
  }
  return "no significant change";
}

}  // namespace prof::viewer
