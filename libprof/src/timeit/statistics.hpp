#pragma once
// Distribution-free statistics for timings: robust summaries (median, MAD, quantiles), the confidence
// interval of a median from order statistics (the sign test), and the Mann-Whitney U test. Shared by the
// timer harness inside libprof and by the viewer (`prof report/diff --timers`, `prof timeit`); it depends on
// nothing else in libprof so both can link it (CMake target `prof_statistics`).

#include <cstddef>
#include <span>
#include <vector>

namespace prof::stats {

// All functions take the values in any order and leave the caller's data untouched. Empty input gives NaN.
double median(std::span<const double> values);
double mean(std::span<const double> values);
// Sample standard deviation (divides by n - 1); 0 for fewer than two values.
double stddev(std::span<const double> values);
// Median absolute deviation from the median, unscaled (multiply by 1.4826 to estimate a normal sigma).
double mad(std::span<const double> values);
// Quantile q in [0, 1] by linear interpolation between order statistics (Hyndman and Fan type 7, the default
// of R and numpy): quantile(v, 0.5) == median(v).
double quantile(std::span<const double> values, double q);

// P(X <= k) for X ~ Binomial(n, p).
double binomial_cdf(std::size_t k, std::size_t n, double p);

struct Interval {
  double low = 0;
  double high = 0;
  // Coverage actually achieved. Order statistics give only discrete levels: the widest interval of n values,
  // [min, max], covers 1 - 2 * 0.5^n (93.75 % for n = 5), so this can fall short of the level asked for.
  double confidence = 0;
};

// Order statistic ranks (1-based) [k, n + 1 - k] of the distribution-free confidence interval of a median:
// the largest k with 2 * P(Binomial(n, 1/2) <= k - 1) <= 1 - confidence, at least 1. Returns k (0 when n =
// 0).
std::size_t median_interval_rank(std::size_t n, double confidence);

// Confidence interval of the median of `values` (the sign test inverted): [x_(k), x_(n+1-k)] with k from
// median_interval_rank. Also the interval of the median of log ratios that prof::compare reports.
Interval median_interval(std::span<const double> values, double confidence = 0.95);

struct MannWhitney {
  // U of the first sample: pairs (a_i, b_j) with a_i > b_j, ties counted 1/2. U of b is |a| * |b| - u.
  double u = 0;
  // Two-sided p-value for "a and b come from the same distribution".
  double p = 1;
  // True when p comes from the exact distribution of U (no ties, both samples of at most 20 values); false
  // for the normal approximation with tie correction and continuity correction.
  bool exact = false;
};

MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b);

}  // namespace prof::stats
