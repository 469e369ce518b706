#include "spread.hpp"

#include <cmath>

namespace prof::viewer {

void Spread::add(std::size_t process, double value) {
  // A gap before this process is a process that lacks the row: the earliest one is the min's candidate.
  std::size_t expected = last_ == kNone ? 0 : last_ + 1;
  if (process > expected && first_missing_ == kNone) first_missing_ = expected;
  last_ = process;
  sum_ += value;
  sum_squares_ += value * value;
  if (seen_ == 0 || value < min_) {
    min_ = value;
    min_process_ = process;
  }
  if (seen_ == 0 || value > max_) {
    max_ = value;
    max_process_ = process;
  }
  ++seen_;
}

SpreadStats Spread::stats(std::size_t processes) const {
  SpreadStats s;
  s.sum = sum_;
  s.min = min_;
  s.max = max_;
  s.min_process = min_process_;
  s.max_process = max_process_;
  if (seen_ < processes) {
    auto missing = first_missing_ != kNone ? first_missing_ : (last_ == kNone ? 0 : last_ + 1);
    // Ties go to the earlier process, as between added values.
    if (seen_ == 0 || 0 < min_ || (0 == min_ && missing < min_process_)) {
      s.min = 0;
      s.min_process = missing;
    }
    if (seen_ == 0 || 0 > max_ || (0 == max_ && missing < max_process_)) {
      s.max = 0;
      s.max_process = missing;
    }
  }
  if (processes == 0) return s;
  auto n = static_cast<double>(processes);
  s.mean = sum_ / n;
  double variance = std::max(0.0, sum_squares_ / n - s.mean * s.mean);
  s.cv = s.mean != 0 ? std::sqrt(variance) / s.mean : NAN;
  s.imbalance = s.mean != 0 ? s.max / s.mean : NAN;
  return s;
}

}  // namespace prof::viewer
