#include "report/timers/timers_diff.hpp"

#include <map>

#include <fmt/format.h>

#include "report/timers/timing_statistics.hpp"
#include "timeit/statistics.hpp"

namespace prof::viewer {

namespace {

// Samples of each timer name, pooled over the processes of a run, in the order the names first appear.
struct PooledTimers {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> samples;
};

PooledTimers pool(const std::vector<Snapshot>& run) {
  PooledTimers pooled;
  for (const auto& snapshot : run) {
    if (!snapshot.timers) continue;
    for (const auto& timing : snapshot.timers->timings) {
      auto [it, inserted] = pooled.samples.try_emplace(timing.name);
      if (inserted) pooled.order.push_back(timing.name);
      it->second.insert(it->second.end(), timing.samples.begin(), timing.samples.end());
    }
  }
  return pooled;
}

Cell p_value_cell(const SampleComparison& comparison) {
  if (comparison.verdict == SampleComparison::Verdict::too_few_samples) return {"-", {}};
  auto cell = Cell::number(comparison.p);
  cell.text = comparison.p < 0.001 ? "<0.001" : fmt::format("{:.3f}", comparison.p);
  return cell;
}

}  // namespace

Section timers_diff_section(const std::vector<Snapshot>& old_run, const std::vector<Snapshot>& new_run,
                            double threshold) {
  Section section{.key = "timers",
                  .title = "Timers (NEW / OLD)",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  auto before = pool(old_run), after = pool(new_run);
  Table table{.key = "timers", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
  table.columns = {{"name", "timer", "", Align::left, true},
                   {"old_median", "old median", "seconds"},
                   {"new_median", "new median", "seconds"},
                   {"ratio", "new/old", ""},
                   {"p_value", "p", ""},
                   {"verdict", "verdict", "", Align::left}};
  std::size_t too_few = 0, old_only = 0;
  for (const auto& name : before.order) {
    auto it = after.samples.find(name);
    if (it == after.samples.end()) {
      ++old_only;
      continue;
    }
    const auto& old_samples = before.samples[name];
    auto comparison = compare_samples(old_samples, it->second, threshold);
    if (comparison.verdict == SampleComparison::Verdict::too_few_samples) ++too_few;
    table.rows.push_back({Cell::string(name), Cell::seconds(stats::median(old_samples)),
                          Cell::seconds(stats::median(it->second)), Cell::ratio(comparison.ratio),
                          p_value_cell(comparison), Cell::string(verdict_name(comparison.verdict))});
  }
  table.total_rows = table.rows.size();
  std::size_t new_only = 0;
  for (const auto& name : after.order)
    new_only += before.samples.count(name) ? 0 : 1;
  if (table.rows.empty()) {
    section.present = false;
    section.absent_note = "no timer is in both runs, nothing to compare";
  }
  section.facts.push_back({"threshold", "threshold",
                           Cell::string(fmt::format("changes under {:g} % are not called a regression or an "
                                                    "improvement (--threshold)",
                                                    100 * threshold))});
  section.facts.back().value.raw = threshold;
  if (too_few)
    section.facts.push_back(
        {"too_few_samples", "too few samples",
         Cell::string(fmt::format("{} timer(s): the U test cannot reach p < {} with so few samples (it needs "
                                  "at least 4 per side, better 9 or more)",
                                  too_few, kSignificanceLevel))});
  if (old_only || new_only)
    section.facts.push_back(
        {"unmatched", "unmatched",
         Cell::string(fmt::format("{} timer(s) only in OLD, {} only in NEW", old_only, new_only))});
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
