// Shares, not counts: two runs of different lengths (or rates) have different sample counts, but the share
// of the samples a function holds compares directly; its estimated seconds are shown beside it.
#include "report/samples/samples_diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace prof::viewer {

namespace {

double percent(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

Cell points(double change) {
  auto cell = Cell::number(change);
  if (change > 0) cell.text = "+" + cell.text;
  return cell;
}

}  // namespace

Section samples_diff_section(const SamplesMerge& old_samples, const SamplesMerge& new_samples, SampleKey by) {
  Section section{.key = "samples",
                  .title = "Samples (share of each run's samples, NEW against OLD)",
                  .present = old_samples.present() || new_samples.present(),
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  if (!section.present) {
    section.absent_note = "neither run has a samples section (prof run samples unless --sample 0)";
    return section;
  }
  if (!old_samples.present() || !new_samples.present())
    section.warnings.push_back(fmt::format("{} has no samples section: its shares are all 0",
                                           old_samples.present() ? "NEW" : "OLD"));
  if (old_samples.present() && new_samples.present() && old_samples.clock() != new_samples.clock())
    section.warnings.push_back(fmt::format("OLD was sampled on the {} clock, NEW on the {} clock",
                                           old_samples.clock(), new_samples.clock()));
  section.facts.push_back({"old_samples", "OLD samples", Cell::count(old_samples.samples())});
  section.facts.push_back({"new_samples", "NEW samples", Cell::count(new_samples.samples())});

  struct Pair {
    const SampleGroup* old_row = nullptr;
    const SampleGroup* new_row = nullptr;
  };
  std::map<std::string, Pair> pairs;
  for (const auto& row : old_samples.groups(by).rows)
    pairs[row.name].old_row = &row;
  for (const auto& row : new_samples.groups(by).rows)
    pairs[row.name].new_row = &row;
  struct Line {
    std::string name, file;
    double old_self, new_self, old_total, new_total, old_seconds, new_seconds;
  };
  std::vector<Line> lines;
  for (const auto& [name, pair] : pairs) {
    const SampleGroup empty;
    const SampleGroup& o = pair.old_row ? *pair.old_row : empty;
    const SampleGroup& n = pair.new_row ? *pair.new_row : empty;
    lines.push_back({name, pair.new_row ? n.file : o.file, percent(o.self, old_samples.samples()),
                     percent(n.self, new_samples.samples()), percent(o.total, old_samples.samples()),
                     percent(n.total, new_samples.samples()), o.total_seconds, n.total_seconds});
  }
  // Biggest change of self share first, then of total share (a caller whose callees moved).
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    const double sa = std::fabs(a.new_self - a.old_self), sb = std::fabs(b.new_self - b.old_self);
    if (sa != sb) return sa > sb;
    return std::fabs(a.new_total - a.old_total) > std::fabs(b.new_total - b.old_total);
  });
  Table table{.key = "functions", .title = "", .columns = {}, .rows = {}, .total_rows = lines.size()};
  table.columns = {{"old_self_percent", "old self %", ""},
                   {"new_self_percent", "new self %", ""},
                   {"self_change", "change", ""},
                   {"old_total_percent", "old total %", ""},
                   {"new_total_percent", "new total %", ""},
                   {"total_change", "change", ""},
                   {"old_total", "old", "seconds", Align::right, false, true},
                   {"new_total", "new", "seconds", Align::right, false, true},
                   {"name", sample_key_name(by), "", Align::left, true},
                   {"file", "file", "", Align::left, false, true}};
  for (const auto& line : lines)
    table.rows.push_back({Cell::number(line.old_self), Cell::number(line.new_self),
                          points(line.new_self - line.old_self), Cell::number(line.old_total),
                          Cell::number(line.new_total), points(line.new_total - line.old_total),
                          Cell::seconds(line.old_seconds), Cell::seconds(line.new_seconds),
                          Cell::string(line.name), Cell::string(line.file)});
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
