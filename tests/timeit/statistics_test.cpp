#include "timeit/statistics.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using namespace prof::stats;

TEST_CASE("median, mean, stddev, MAD and quantiles of planted values", "[statistics]") {
  std::vector<double> odd{5, 1, 100, 3, 2};  // sorted: 1 2 3 5 100
  CHECK(median(odd) == 3);
  CHECK(mean(odd) == Approx(22.2));
  // Deviations from 3: 2 1 0 2 97 -> sorted 0 1 2 2 97.
  CHECK(mad(odd) == 2);
  // Squares about 22.2: 449.44 + 408.04 + 368.64 + 295.84 + 6052.84 = 7574.8; / 4 = 1893.7.
  CHECK(stddev(odd) == Approx(std::sqrt(1893.7)));

  std::vector<double> even{4, 1, 3, 2};
  CHECK(median(even) == 2.5);
  // Type 7: position q * (n - 1) = 0.75 * 3 = 2.25 -> 3 + 0.25 * (4 - 3).
  CHECK(quantile(even, 0.75) == Approx(3.25));
  CHECK(quantile(even, 0) == 1);
  CHECK(quantile(even, 1) == 4);
  CHECK(quantile(odd, 0.5) == median(odd));
  CHECK(stddev(std::vector<double>{7}) == 0);
  CHECK(std::isnan(median(std::vector<double>{})));
}

TEST_CASE("the binomial distribution function", "[statistics]") {
  // n = 10, p = 1/2: P(X <= 1) = (1 + 10) / 1024, P(X <= 2) = 56 / 1024.
  CHECK(binomial_cdf(1, 10, 0.5) == Approx(11.0 / 1024));
  CHECK(binomial_cdf(2, 10, 0.5) == Approx(56.0 / 1024));
  CHECK(binomial_cdf(10, 10, 0.5) == 1);
  // n = 20: P(X <= 5) = (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20 = 21700 / 1048576.
  CHECK(binomial_cdf(5, 20, 0.5) == Approx(21700.0 / 1048576));
  // p other than 1/2: P(X <= 0) for n = 3, p = 0.2 is 0.8^3.
  CHECK(binomial_cdf(0, 3, 0.2) == Approx(0.512));
}

TEST_CASE("the order-statistic interval of a median follows the binomial", "[statistics]") {
  // n = 10: 2 * P(X <= 1) = 0.0215 <= 0.05 but 2 * P(X <= 2) = 0.109 > 0.05: ranks [2, 9].
  CHECK(median_interval_rank(10, 0.95) == 2);
  // n = 20: 2 * P(X <= 5) = 0.0414, 2 * P(X <= 6) = 0.115: ranks [6, 15].
  CHECK(median_interval_rank(20, 0.95) == 6);
  // Five values cannot reach 95 %: the widest interval, [min, max], covers 1 - 2 / 32.
  CHECK(median_interval_rank(5, 0.95) == 1);

  std::vector<double> ten{10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  Interval interval = median_interval(ten, 0.95);
  CHECK(interval.low == 2);
  CHECK(interval.high == 9);
  CHECK(interval.confidence == Approx(1 - 2 * 11.0 / 1024));

  std::vector<double> five{1.21, 1.22, 1.2, 1.25, 1.21};
  Interval widest = median_interval(five, 0.95);
  CHECK(widest.low == 1.2);
  CHECK(widest.high == 1.25);
  CHECK(widest.confidence == Approx(0.9375));
}

TEST_CASE("the sign-test interval of a ratio from per-round log ratios", "[statistics]") {
  // Ratios 1.9, 1.95, ..., 2.4 (11 rounds). n = 11: 2 * P(X <= 1) = 24 / 2048 <= 0.05,
  // 2 * P(X <= 2) = 134 / 2048 > 0.05: ranks [2, 10], so the interval of the ratio is [1.95, 2.35].
  std::vector<double> logs;
  for (int i = 0; i < 11; ++i)
    logs.push_back(std::log(1.9 + 0.05 * i));
  Interval interval = median_interval(logs, 0.95);
  CHECK(std::exp(interval.low) == Approx(1.95));
  CHECK(std::exp(interval.high) == Approx(2.35));
  CHECK(std::exp(median(logs)) == Approx(2.15));
  CHECK(interval.confidence == Approx(1 - 24.0 / 2048));
}

TEST_CASE("Mann-Whitney U, exact, on a textbook example", "[statistics]") {
  // Pooled order: 11b 12b 16a 17b 19a 20b 22a 24a 29a; ranks of a: 3 5 7 8 9 = 32, U = 32 - 5 * 6 / 2 = 17.
  std::vector<double> a{19, 22, 16, 29, 24}, b{20, 11, 17, 12};
  MannWhitney test = mann_whitney_u(a, b);
  CHECK(test.exact);
  CHECK(test.u == 17);
  // U of b is 20 - 17 = 3. Orderings with U <= 3 among C(9, 4) = 126: U = 0: 1, 1: 1, 2: 2, 3: 3 (partitions
  // of U into at most 4 parts of at most 5), 7 in all; two-sided p = 2 * 7 / 126.
  CHECK(test.p == Approx(14.0 / 126));

  // Complete separation of 3 and 3: U = 0, p = 2 / C(6, 3) = 0.1.
  MannWhitney separated = mann_whitney_u(std::vector<double>{1, 2, 3}, std::vector<double>{4, 5, 6});
  CHECK(separated.u == 0);
  CHECK(separated.p == Approx(0.1));
  // The test is symmetric: swapping the samples gives m * n - U and the same p.
  MannWhitney swapped = mann_whitney_u(std::vector<double>{4, 5, 6}, std::vector<double>{1, 2, 3});
  CHECK(swapped.u == 9);
  CHECK(swapped.p == Approx(0.1));
}

TEST_CASE("Mann-Whitney U with ties uses the corrected normal approximation", "[statistics]") {
  // Pooled: 1a 2a 2a 2b 3a 3b 4b 5b; midranks 1, 3 3 3, 5.5 5.5, 7, 8. R_a = 1 + 3 + 3 + 5.5 = 12.5,
  // U = 12.5 - 10 = 2.5. Mean m n / 2 = 8. Ties: groups of 3 and 2, sum(t^3 - t) = 24 + 6 = 30.
  // Variance = 16 / 12 * (9 - 30 / 56) = 11.2857; z = (|2.5 - 8| - 0.5) / 3.35942 = 1.48835;
  // p = erfc(z / sqrt 2) = 0.13666.
  MannWhitney test = mann_whitney_u(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 4, 5});
  CHECK_FALSE(test.exact);
  CHECK(test.u == 2.5);
  CHECK(test.p == Approx(0.13666).epsilon(1e-3));

  // Identical samples: no evidence of a difference.
  MannWhitney same = mann_whitney_u(std::vector<double>{1, 1, 1}, std::vector<double>{1, 1, 1});
  CHECK(same.p == 1);
}

TEST_CASE("Mann-Whitney U on large samples uses the normal approximation", "[statistics]") {
  // 0..29 against 30..59: complete separation, U = 0. Mean 450, variance 30 * 30 * 61 / 12 = 4575,
  // z = (450 - 0.5) / 67.639 = 6.6456, p = erfc(6.6456 / sqrt 2) = 3.02e-11.
  std::vector<double> low, high;
  for (int i = 0; i < 30; ++i) {
    low.push_back(i);
    high.push_back(30 + i);
  }
  MannWhitney test = mann_whitney_u(low, high);
  CHECK_FALSE(test.exact);
  CHECK(test.u == 0);
  CHECK(test.p == Approx(std::erfc(449.5 / std::sqrt(4575.0) / std::sqrt(2.0))));
  CHECK(test.p < 1e-10);
}
