#include "merge/spread.hpp"

#include <cmath>

namespace prof::viewer {

void Spread::add(std::size_t process, double value) {
  // A gap before this process is a process that lacks the row: the earliest one is the min's candidate.
  std::size_t expected = last_ == kNone ? 0 : last_ + 1;
  if (process > expected && first_missing_ == kNone) first_missing_ = expected;
  last_ = process;
  if (present_.size() <= process / 64) present_.resize(process / 64 + 1, 0);
  present_[process / 64] |= std::uint64_t{1} << (process % 64);
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
  std::size_t missing = kNone;
  if (seen_ < processes)
    missing = first_missing_ != kNone ? first_missing_ : (last_ == kNone ? 0 : last_ + 1);
  return stats_over(processes, missing);
}

SpreadStats Spread::stats(const std::vector<bool>& parent) const {
  auto has = [&](std::size_t i) { return i / 64 < present_.size() && ((present_[i / 64] >> (i % 64)) & 1); };
  bool parents_have = false, others_have = false;
  for (std::size_t i = 0; i < parent.size(); ++i)
    if (has(i)) (parent[i] ? parents_have : others_have) = true;
  // One kind only: the processes of the other kind are not missing the row, they do other work.
  const bool only_parents = parents_have && !others_have, only_others = others_have && !parents_have;
  std::size_t members = 0, missing = kNone;
  for (std::size_t i = 0; i < parent.size(); ++i) {
    if ((only_parents && !parent[i]) || (only_others && parent[i])) continue;
    ++members;
    if (!has(i) && missing == kNone) missing = i;
  }
  return stats_over(members, missing);
}

SpreadStats Spread::stats_over(std::size_t processes, std::size_t missing) const {
  SpreadStats s;
  s.processes = processes;
  s.sum = sum_;
  s.min = min_;
  s.max = max_;
  s.min_process = min_process_;
  s.max_process = max_process_;
  if (missing != kNone) {
    // A process without the row counts as 0. Ties go to the earlier process, as between added values.
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
