#include "timeit/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prof::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Beyond this size per sample the exact distribution of U costs more than the normal approximation errs.
constexpr std::size_t kExactLimit = 20;

std::vector<double> sorted(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  std::sort(copy.begin(), copy.end());
  return copy;
}

double quantile_of_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  double position = q * static_cast<double>(v.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(position));
  std::size_t above = std::min(below + 1, v.size() - 1);
  double fraction = position - static_cast<double>(below);
  return v[below] + fraction * (v[above] - v[below]);
}

// Number of orderings of m values of a and n values of b (no ties) for each U of a, by the recursion on the
// largest value: an a there beats all n b's, a b there beats nothing.
std::vector<double> exact_u_counts(std::size_t m, std::size_t n) {
  std::size_t max_u = m * n;
  // counts[i][j] is the distribution for i a's and j b's; kept for the current i and the previous one.
  std::vector<std::vector<double>> previous(n + 1), current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) {
    previous[j].assign(max_u + 1, 0.0);
    previous[j][0] = 1.0;  // i = 0: one ordering, U = 0
  }
  for (std::size_t i = 1; i <= m; ++i) {
    for (std::size_t j = 0; j <= n; ++j) {
      current[j].assign(max_u + 1, 0.0);
      for (std::size_t u = 0; u <= max_u; ++u) {
        double count = 0;
        if (u >= j) count += previous[j][u - j];
        if (j > 0) count += current[j - 1][u];
        current[j][u] = count;
      }
    }
    std::swap(previous, current);
  }
  return previous[n];
}

}  // namespace

double median(std::span<const double> values) {
  return quantile_of_sorted(sorted(values), 0.5);
}

double quantile(std::span<const double> values, double q) {
  return quantile_of_sorted(sorted(values), q);
}

double mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0;
  for (double v : values)
    sum += v;
  return sum / static_cast<double>(values.size());
}

double stddev(std::span<const double> values) {
  if (values.empty()) return kNaN;
  if (values.size() < 2) return 0.0;
  double centre = mean(values);
  double squares = 0;
  for (double v : values)
    squares += (v - centre) * (v - centre);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double mad(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double centre = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values)
    deviations.push_back(std::fabs(v - centre));
  return median(deviations);
}

double binomial_cdf(std::size_t k, std::size_t n, double p) {
  if (k >= n) return 1.0;
  // Terms in log space so large n neither overflows the binomial coefficient nor underflows p^n.
  double total = 0;
  for (std::size_t i = 0; i <= k; ++i) {
    double log_term = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                      std::lgamma(static_cast<double>(n - i) + 1);
    if (p > 0) log_term += static_cast<double>(i) * std::log(p);
    if (p < 1) log_term += static_cast<double>(n - i) * std::log1p(-p);
    if ((p == 0 && i > 0) || (p == 1 && i < n)) continue;
    total += std::exp(log_term);
  }
  return std::min(total, 1.0);
}

std::size_t median_interval_rank(std::size_t n, double confidence) {
  if (n == 0) return 0;
  double alpha = 1.0 - confidence;
  // P(X <= k) for X ~ Binomial(n, 1/2), one term added per step (the terms of binomial_cdf, in its order):
  // linear in n, where calling binomial_cdf at each k was quadratic (200 000 samples took 20 s).
  auto term = [n](std::size_t i) {
    double log_term = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                      std::lgamma(static_cast<double>(n - i) + 1);
    log_term += static_cast<double>(i) * std::log(0.5) + static_cast<double>(n - i) * std::log1p(-0.5);
    return std::exp(log_term);
  };
  double cdf = term(0) + (n > 1 ? term(1) : 0.0);
  std::size_t k = 1;
  // Moving inwards from [x_(k), x_(n+1-k)] to [x_(k+1), x_(n-k)] loses coverage 2 * P(X = k).
  while (k + 1 <= (n + 1) / 2 && 2.0 * std::min(cdf, 1.0) <= alpha) {
    ++k;
    cdf += term(k);
  }
  return k;
}

Interval median_interval(std::span<const double> values, double confidence) {
  if (values.empty()) return Interval{kNaN, kNaN, 0.0};
  std::vector<double> v = sorted(values);
  std::size_t n = v.size();
  std::size_t k = median_interval_rank(n, confidence);
  double coverage = 1.0 - 2.0 * binomial_cdf(k - 1, n, 0.5);
  return Interval{v[k - 1], v[n - k], std::max(coverage, 0.0)};
}

MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  MannWhitney result;
  std::size_t m = a.size(), n = b.size();
  if (m == 0 || n == 0) return result;

  // Midranks of the pooled sample; tie groups feed the variance correction.
  struct Value {
    double x;
    bool from_a;
  };
  std::vector<Value> pooled;
  pooled.reserve(m + n);
  for (double x : a)
    pooled.push_back({x, true});
  for (double x : b)
    pooled.push_back({x, false});
  std::sort(pooled.begin(), pooled.end(), [](const Value& l, const Value& r) { return l.x < r.x; });
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].x == pooled[i].x)
      ++j;
    double group = static_cast<double>(j - i);
    double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t t = i; t < j; ++t)
      if (pooled[t].from_a) rank_sum_a += midrank;
    if (j - i > 1) ties = true;
    tie_term += group * group * group - group;
    i = j;
  }
  double dm = static_cast<double>(m), dn = static_cast<double>(n);
  result.u = rank_sum_a - dm * (dm + 1) / 2.0;

  if (!ties && m <= kExactLimit && n <= kExactLimit) {
    std::vector<double> counts = exact_u_counts(m, n);
    double total = 0;
    for (double c : counts)
      total += c;
    auto u = static_cast<std::size_t>(std::llround(result.u));
    double at_most = 0, at_least = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (i <= u) at_most += counts[i];
      if (i >= u) at_least += counts[i];
    }
    result.p = std::min(1.0, 2.0 * std::min(at_most, at_least) / total);
    result.exact = true;
    return result;
  }

  double total = dm + dn;
  double centre = dm * dn / 2.0;
  double variance = dm * dn / 12.0 * ((total + 1) - tie_term / (total * (total - 1)));
  if (variance <= 0) {
    result.p = 1.0;  // every value tied: no evidence of a difference
    return result;
  }
  double z = std::max(0.0, std::fabs(result.u - centre) - 0.5) / std::sqrt(variance);
  result.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

}  // namespace prof::stats
