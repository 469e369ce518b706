#pragma once
// The statistics of a timing as the viewer shows them: the values its writer stored, and those it left out
// computed from the samples (docs/SNAPSHOT.md: "a reader computes any that are missing").
#include <cstdint>
#include <span>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct TimingStatistics {
  double min = 0, median = 0, mean = 0, stddev = 0, mad = 0;  // seconds per call; NaN without samples
  double ci_low = 0, ci_high = 0;                             // 95 % interval of the median
};

TimingStatistics timing_statistics(const Timing& timing);

// The outcome of comparing the samples of two timings with the Mann-Whitney U test, as Google Benchmark's
// compare.py does, plus a practical threshold so that a tiny but consistent shift is not called a change.
struct SampleComparison {
  enum class Verdict { regression, improvement, no_change, too_few_samples };
  double ratio = 0;  // median of `after` / median of `before`
  double p = 1;      // two-sided p-value
  Verdict verdict = Verdict::no_change;
};

inline constexpr double kSignificanceLevel = 0.05;

// The smallest two-sided p-value the U test can reach with samples of these sizes, 2 / C(n + m, n): when it
// is above the significance level, no difference can ever be significant.
double smallest_attainable_p(std::size_t n, std::size_t m);

SampleComparison compare_samples(std::span<const double> before, std::span<const double> after,
                                 double threshold);

const char* verdict_name(SampleComparison::Verdict verdict);

}  // namespace prof::viewer
