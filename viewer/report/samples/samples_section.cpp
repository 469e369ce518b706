// `prof report --samples`: one row per function, heaviest self first, as perf report and pprof's top show
// it: self % (samples whose innermost frame is in the function), total % (with it anywhere on the stack),
// the samples, and the CPU seconds they estimate (samples times the sampling period).
#include "report/samples/samples_section.hpp"

#include <algorithm>
#include <numeric>

namespace prof::viewer {

namespace {

double percent(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void add_tree_rows(const SamplesMerge& samples, std::size_t node, int depth, double min_percent,
                   Table& table) {
  const auto& tree = samples.tree();
  std::vector<std::size_t> children = tree[node].children;
  std::stable_sort(children.begin(), children.end(),
                   [&](std::size_t a, std::size_t b) { return tree[a].total > tree[b].total; });
  const std::int64_t all = samples.samples();
  for (std::size_t child : children) {
    const auto& n = tree[child];
    if (percent(n.total, all) < min_percent) continue;
    table.rows.push_back({Cell::number(percent(n.total, all)), Cell::number(percent(n.self, all)),
                          Cell::count(n.total),
                          Cell::string(std::string(2 * static_cast<std::size_t>(depth), ' ') +
                                       samples.functions()[n.function].name)});
    add_tree_rows(samples, child, depth + 1, min_percent, table);
  }
}

}  // namespace

Section samples_section(const SamplesMerge& samples, bool tree, double min_percent) {
  Section section{.key = "samples",
                  .title = "CPU samples",
                  .present = samples.present(),
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  if (!samples.present()) {
    section.absent_note = "no samples section (run with prof run; --sample 0 turns sampling off)";
    return section;
  }
  section.facts.push_back({"processes", "processes", Cell::count(samples.processes())});
  section.facts.push_back({"samples", "samples", Cell::count(samples.samples())});
  section.facts.push_back({"rate_hz", "rate (per thread CPU second)", Cell::number(samples.hz())});
  section.facts.push_back({"cpu_seconds", "CPU time sampled", Cell::seconds(samples.seconds())});
  if (samples.dropped() > 0) {
    section.facts.push_back({"dropped", "dropped", Cell::count(samples.dropped())});
    section.warnings.push_back(
        "some samples were dropped (a full stack table, or a stack the unwinder could "
        "not walk): percentages are of the samples kept");
  }
  if (tree) {
    Table table{.key = "tree", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
    table.columns = {{"total_percent", "total %", ""},
                     {"self_percent", "self %", ""},
                     {"samples", "samples", ""},
                     {"name", "call path", "", Align::left, true}};
    add_tree_rows(samples, 0, 0, min_percent, table);
    table.total_rows = table.rows.size();
    section.tables.push_back(std::move(table));
    return section;
  }
  const auto& functions = samples.functions();
  std::vector<std::size_t> order(functions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (functions[a].self != functions[b].self) return functions[a].self > functions[b].self;
    return functions[a].total > functions[b].total;
  });
  Table table{.key = "functions", .title = "", .columns = {}, .rows = {}, .total_rows = functions.size()};
  table.columns = {{"self_percent", "self %", ""},
                   {"total_percent", "total %", ""},
                   {"samples", "samples", ""},
                   {"self", "self", "seconds"},
                   {"total", "total", "seconds"},
                   {"name", "function", "", Align::left, true},
                   {"file", "file", "", Align::left, false, true}};
  const std::int64_t all = samples.samples();
  for (std::size_t i : order) {
    const auto& f = functions[i];
    table.rows.push_back({Cell::number(percent(f.self, all)), Cell::number(percent(f.total, all)),
                          Cell::count(f.self), Cell::seconds(f.self_seconds), Cell::seconds(f.total_seconds),
                          Cell::string(f.name), Cell::string(f.file)});
  }
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
