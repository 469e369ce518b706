#include "report/across_table.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace prof::viewer {

namespace {

Cell figure(double value, AcrossUnit unit) {
  switch (unit) {
    case AcrossUnit::seconds:
      return Cell::seconds(value);
    case AcrossUnit::bytes:
      return Cell::bytes(std::llround(value));
    case AcrossUnit::count:
      break;
  }
  return Cell::count(std::llround(value));
}

// Mean of counts or bytes is rarely whole: keep its fraction in csv/json, round it for people.
Cell mean_figure(double value, AcrossUnit unit) {
  auto cell = figure(value, unit);
  cell.raw = value;
  return cell;
}

const char* unit_name(AcrossUnit unit) {
  return unit == AcrossUnit::seconds ? "seconds" : unit == AcrossUnit::bytes ? "bytes" : "";
}

}  // namespace

Table across_table(const AcrossSpec& spec, const std::vector<AcrossRow>& rows,
                   const std::vector<ProcessLabel>& members) {
  // Ranks name processes only when each has its own: the workers a rank forks inherit its rank.
  std::set<std::int64_t> distinct;
  for (const auto& member : members)
    if (member.rank) distinct.insert(*member.rank);
  const bool ranks = !members.empty() && distinct.size() == members.size();
  const std::string who = ranks ? "rank" : "pid";
  auto id_of = [&](std::size_t ordinal) -> std::int64_t {
    if (ordinal >= members.size()) return -1;
    return ranks ? *members[ordinal].rank : members[ordinal].pid;
  };
  // Rows spread over one kind of process only (a pool's workers, or their parents) say how many.
  const bool uneven = std::any_of(
      rows.begin(), rows.end(), [&](const AcrossRow& row) { return row.stats.processes != members.size(); });
  Table table{.key = spec.key,
              .title = uneven ? fmt::format("across {} (n: the processes that do that work)",
                                            ranks ? "ranks" : "processes")
                              : fmt::format("across {} {}", members.size(), ranks ? "ranks" : "processes"),
              .columns = {},
              .rows = {},
              .total_rows = rows.size()};
  const std::string unit = unit_name(spec.unit);
  table.columns.push_back({"name", spec.name_title, "", Align::left, true});
  for (auto column : spec.lead_columns) {
    column.csv_only = true;
    table.columns.push_back(std::move(column));
  }
  table.columns.push_back({"sum", "sum", unit});
  table.columns.push_back({"min", fmt::format("min ({})", who), unit});
  table.columns.push_back({"min_" + who, "min_" + who, "", Align::right, false, true});
  table.columns.push_back({"mean", "mean", unit});
  table.columns.push_back({"max", fmt::format("max ({})", who), unit});
  table.columns.push_back({"max_" + who, "max_" + who, "", Align::right, false, true});
  table.columns.push_back({"cv", "cv", ""});
  table.columns.push_back({"imbalance", "max/mean", ""});
  if (uneven) table.columns.push_back({"processes", "n", ""});
  for (const auto& row : rows) {
    const auto& s = row.stats;
    auto min = figure(s.min, spec.unit), max = figure(s.max, spec.unit);
    min.text += fmt::format(" ({})", id_of(s.min_process));
    max.text += fmt::format(" ({})", id_of(s.max_process));
    std::vector<Cell> cells{Cell::string(row.name)};
    cells.insert(cells.end(), row.lead.begin(), row.lead.end());
    auto sum = figure(s.sum, spec.unit);
    cells.push_back(std::move(sum));
    cells.push_back(std::move(min));
    cells.push_back(Cell::count(id_of(s.min_process)));
    cells.push_back(mean_figure(s.mean, spec.unit));
    cells.push_back(std::move(max));
    cells.push_back(Cell::count(id_of(s.max_process)));
    cells.push_back(Cell::number(s.cv));
    cells.push_back(Cell::number(s.imbalance));
    if (uneven) cells.push_back(Cell::count(static_cast<std::int64_t>(s.processes)));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace prof::viewer
