// `prof report --timers`: one row per timing with its spread and interval, the comparisons as sentences.
#include <fmt/format.h>

#include "report/timers/timers_section.hpp"
#include "report/timers/timing_statistics.hpp"

namespace prof::viewer {

namespace {

Table timings_table(const std::vector<Snapshot>& snapshots) {
  Table table{.key = "timings", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
  // csv keeps the first seven columns in this order; new ones go at the end.
  table.columns = {{"name", "timer", "", Align::left, true},
                   {"runs", "runs", ""},
                   {"loops", "loops", ""},
                   {"min", "min", "seconds"},
                   {"median", "median", "seconds"},
                   {"mean", "mean", "seconds", Align::right, false, true},
                   {"stddev", "stddev", "seconds", Align::right, false, true},
                   {"mad", "+- mad", "seconds"},
                   {"ci_low", "ci low", "seconds"},
                   {"ci_high", "ci high", "seconds"},
                   {"noisy", "noisy", ""}};
  for (const auto& snapshot : snapshots) {
    if (!snapshot.timers) continue;
    for (const auto& timing : snapshot.timers->timings) {
      auto s = timing_statistics(timing);
      auto noisy = Cell::string(timing.noisy ? "noisy" : "");
      noisy.raw = timing.noisy;
      table.rows.push_back({Cell::string(timing.name), Cell::count(timing.runs), Cell::count(timing.loops),
                            Cell::seconds(s.min), Cell::seconds(s.median), Cell::seconds(s.mean),
                            Cell::seconds(s.stddev), Cell::seconds(s.mad), Cell::seconds(s.ci_low),
                            Cell::seconds(s.ci_high), std::move(noisy)});
    }
  }
  table.total_rows = table.rows.size();
  return table;
}

// A writer that left out the sentence still gets one, in the words prof::compare uses.
std::string verdict_of(const Comparison& c) {
  if (!c.verdict.empty()) return c.verdict;
  auto percent = fmt::format("{:.0f} % CI", 100 * c.confidence.value_or(0.95));
  if (!c.significant.value_or(c.low > 1 || c.high < 1))
    return fmt::format("no significant difference between {} and {} (ratio {:.2f}, {:.2f}-{:.2f}, {})", c.a,
                       c.b, c.ratio, c.low, c.high, percent);
  if (c.ratio >= 1)
    return fmt::format("{} is {:.2f}x slower than {} ({:.2f}-{:.2f}, {})", c.a, c.ratio, c.b, c.low, c.high,
                       percent);
  return fmt::format("{} is {:.2f}x faster than {} ({:.2f}-{:.2f}, {})", c.a, 1 / c.ratio, c.b, 1 / c.high,
                     1 / c.low, percent);
}

// Noisy timings and comparisons are sentences: facts print them in full where a table would cut them.
std::vector<Fact> timers_facts(const std::vector<Snapshot>& snapshots) {
  std::vector<Fact> facts;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.timers) continue;
    for (const auto& comparison : snapshot.timers->comparisons)
      facts.push_back(
          {fmt::format("comparison_{}", facts.size()), "compared", Cell::string(verdict_of(comparison))});
  }
  for (const auto& snapshot : snapshots) {
    if (!snapshot.timers) continue;
    for (const auto& timing : snapshot.timers->timings)
      if (timing.noisy && !timing.noisy_reason.empty())
        facts.push_back({fmt::format("noisy_{}", facts.size()), "noisy",
                         Cell::string(fmt::format("{}: {}", timing.name, timing.noisy_reason))});
  }
  return facts;
}

}  // namespace

Section timers_section(const std::vector<Snapshot>& snapshots) {
  bool any = false;
  for (const auto& snapshot : snapshots)
    any |= snapshot.timers.has_value();
  if (!any) {
    return {.key = "timers",
            .title = "Timers",
            .present = false,
            .absent_note = "no timers section (no timer harness data) in these snapshots",
            .facts = {},
            .tables = {},
            .warnings = {}};
  }
  Section section{.key = "timers",
                  .title = "Timers",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  section.facts = timers_facts(snapshots);
  section.tables.push_back(timings_table(snapshots));
  return section;
}

}  // namespace prof::viewer
