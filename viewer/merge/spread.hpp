#pragma once
// One row's figure across processes (MPI ranks, a fork pool): sum, min, mean, max, who had the min and the
// max, the coefficient of variation and the imbalance. Folded one process at a time, so a merge of 1024
// processes never holds 1024 values per row.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace prof::viewer {

struct SpreadStats {
  double sum = 0, min = 0, mean = 0, max = 0;
  std::size_t min_process = 0, max_process = 0;  // ordinals as given to Spread::add
  double cv = 0;              // population standard deviation / mean; NaN when the mean is 0
  double imbalance = 0;       // max / mean; NaN when the mean is 0
  std::size_t processes = 0;  // how many processes the figures are over
};

class Spread {
 public:
  // At most one value per process, in increasing process order (0, 1, ...; gaps are processes without it).
  void add(std::size_t process, double value);
  // Over `processes` processes: those never added count as 0.
  SpreadStats stats(std::size_t processes) const;
  // Over the processes of the kinds that have the row: `parent[i]` says whether process i started others of
  // the report (a fork pool's master, an MPI rank with forked workers). What only workers did is spread over
  // the workers, what only their parents did over the parents; a row both kinds have, over all.
  SpreadStats stats(const std::vector<bool>& parent) const;

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Over `processes` processes, `missing` the first of them without the row (kNone: none).
  SpreadStats stats_over(std::size_t processes, std::size_t missing) const;
  double sum_ = 0, sum_squares_ = 0, min_ = 0, max_ = 0;
  std::size_t min_process_ = 0, max_process_ = 0, seen_ = 0;
  std::size_t last_ = kNone, first_missing_ = kNone;
  std::vector<std::uint64_t> present_;  // one bit per process that has the row
};

}  // namespace prof::viewer
