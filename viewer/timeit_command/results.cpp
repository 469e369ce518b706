#include "timeit_command/results.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "timeit/rounds_interval.hpp"
#include "timeit/statistics.hpp"

namespace prof::viewer {

std::vector<std::size_t> mad_outliers(const std::vector<double>& samples) {
  std::vector<std::size_t> outliers;
  double median = stats::median(samples), mad = stats::mad(samples);
  if (!(mad > 0)) return outliers;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (0.6745 * std::fabs(samples[i] - median) / mad > kOutlierScore) outliers.push_back(i);
  return outliers;
}

CommandTiming summarize_command(const std::string& command, const std::vector<double>& wall,
                                const std::vector<double>& user, const std::vector<double>& system) {
  CommandTiming result;
  auto& t = result.timing;
  t.name = command;
  t.source = "command";
  t.runs = static_cast<std::int64_t>(wall.size());
  t.loops = 1;
  t.samples = wall;
  t.user_seconds = user;
  t.system_seconds = system;
  t.min = *std::min_element(wall.begin(), wall.end());
  t.median = stats::median(wall);
  t.mean = stats::mean(wall);
  t.stddev = stats::stddev(wall);
  t.mad = stats::mad(wall);
  auto interval = stats::median_interval(wall, 0.95);
  t.ci_low = interval.low;
  t.ci_high = interval.high;
  t.loop_overhead = 0;
  result.outliers = mad_outliers(wall);
  double variation = *t.mean > 0 ? *t.stddev / *t.mean : 0;
  if (variation > kNoisyVariation) {
    t.noisy = true;
    t.noisy_reason = fmt::format("coefficient of variation {:.1f} % (above {:.0f} %)", 100 * variation,
                                 100 * kNoisyVariation);
  }
  if (!result.outliers.empty()) {
    t.noisy = true;
    if (!t.noisy_reason.empty()) t.noisy_reason += "; ";
    t.noisy_reason += fmt::format("{} of {} runs are outliers", result.outliers.size(), wall.size());
  }
  return result;
}

Comparison compare_commands(const CommandTiming& a, const CommandTiming& b) {
  const auto& wa = a.timing.samples;
  const auto& wb = b.timing.samples;
  std::vector<double> log_ratios;
  for (std::size_t i = 0; i < std::min(wa.size(), wb.size()); ++i)
    if (wa[i] > 0 && wb[i] > 0) log_ratios.push_back(std::log(wa[i] / wb[i]));
  Comparison c;
  c.a = a.timing.name;
  c.b = b.timing.name;
  c.threshold = kCommandThreshold;
  c.rounds = static_cast<std::int64_t>(log_ratios.size());
  // The rounds ran one after the other, like prof::compare's: the same interval, blocks against drift.
  auto interval = stats::rounds_interval(log_ratios, 0.95);
  c.ratio = log_ratios.empty() ? 1.0 : std::exp(stats::median(log_ratios));
  if (log_ratios.size() < stats::kFewestRounds) {
    c.low = c.high = c.ratio;
    c.confidence = 0.0;
    c.significant = false;
  } else {
    // The centre of the interval (mean of the block medians), as prof::compare: always inside it.
    c.ratio = std::exp((interval.low + interval.high) / 2);
    c.low = std::exp(interval.low);
    c.high = std::exp(interval.high);
    c.confidence = interval.confidence;
    bool excludes_one = c.low > 1 || c.high < 1;
    bool beyond_threshold = c.ratio > 1 + kCommandThreshold || c.ratio < 1 / (1 + kCommandThreshold);
    c.significant = excludes_one && beyond_threshold;
  }
  c.verdict = comparison_sentence(c);
  return c;
}

std::string comparison_sentence(const Comparison& c) {
  double confidence = c.confidence.value_or(0.95);
  auto a = fmt::format("'{}'", c.a), b = fmt::format("'{}'", c.b);
  // With fewer runs than an interval needs there is no interval, so no verdict either way.
  if (!(confidence > 0))
    return fmt::format("too few runs to compare {} and {} ({} paired, an interval needs {})", a, b,
                       c.rounds.value_or(0), stats::kFewestRounds);
  auto level = fmt::format("{:.0f} % CI", 100 * confidence);
  if (!c.significant.value_or(false))
    return fmt::format("no significant difference between {} and {} (ratio {:.2f}, {:.2f}-{:.2f}, {})", a, b,
                       c.ratio, c.low, c.high, level);
  if (c.ratio >= 1)
    return fmt::format("{} is {:.2f}x slower than {} ({:.2f}-{:.2f}, {})", a, c.ratio, b, c.low, c.high,
                       level);
  return fmt::format("{} is {:.2f}x faster than {} ({:.2f}-{:.2f}, {})", a, 1 / c.ratio, b, 1 / c.high,
                     1 / c.low, level);
}

}  // namespace prof::viewer
