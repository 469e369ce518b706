#include "timeit/rounds_interval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "timeit/student_t.hpp"

namespace prof::stats {

std::size_t rounds_blocks(std::size_t n) {
  auto root = static_cast<std::size_t>(std::sqrt(static_cast<double>(n)));
  return std::min(n, std::max(kFewestRounds, root));
}

Interval rounds_interval(std::span<const double> rounds, double confidence) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = rounds.size();
  if (n < kFewestRounds || !(confidence > 0 && confidence < 1)) return Interval{kNaN, kNaN, 0.0};
  std::size_t blocks = rounds_blocks(n);
  std::vector<double> medians;
  medians.reserve(blocks);
  // Block i holds rounds [i * n / blocks, (i + 1) * n / blocks): lengths differ by at most one.
  for (std::size_t i = 0; i < blocks; ++i)
    medians.push_back(median(rounds.subspan(i * n / blocks, (i + 1) * n / blocks - i * n / blocks)));
  double centre = mean(medians);
  // Blocks shorter than the drift's memory leave neighbouring medians correlated; an AR(1) correction for
  // their lag-1 autocorrelation r widens the error by sqrt((1 + r) / (1 - r)) and cuts the effective number
  // of blocks by the same factor (a negative r, noise, is taken as 0: never narrower than independence).
  double squares = 0, products = 0;
  for (std::size_t i = 0; i < blocks; ++i) {
    squares += (medians[i] - centre) * (medians[i] - centre);
    if (i > 0) products += (medians[i] - centre) * (medians[i - 1] - centre);
  }
  double r = squares > 0 ? std::clamp(products / squares, 0.0, 0.9) : 0.0;
  double inflation = (1 + r) / (1 - r);
  double effective_blocks = std::max(2.0, static_cast<double>(blocks) / inflation);
  double half = student_t_quantile(1 - (1 - confidence) / 2, effective_blocks - 1) * stddev(medians) *
                std::sqrt(inflation / static_cast<double>(blocks));
  return Interval{centre - half, centre + half, confidence};
}

}  // namespace prof::stats
