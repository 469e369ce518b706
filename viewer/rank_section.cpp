// `prof report --by-rank`: the processes side by side, one row each, in rank order: where the time, the
// memory and the MPI waiting went per rank.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report_sections.hpp"

namespace prof::viewer {

Section ranks_section(const std::vector<Snapshot>& snapshots) {
  Section section{.key = "ranks",
                  .title = "By rank",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  std::vector<const Snapshot*> order;
  for (const auto& snapshot : snapshots)
    order.push_back(&snapshot);
  // Ranks in order; processes without a rank after them, by pid.
  std::stable_sort(order.begin(), order.end(), [](const Snapshot* a, const Snapshot* b) {
    if (a->meta.rank.has_value() != b->meta.rank.has_value()) return a->meta.rank.has_value();
    if (a->meta.rank && *a->meta.rank != *b->meta.rank) return *a->meta.rank < *b->meta.rank;
    return a->meta.pid < b->meta.pid;
  });
  Table table{.key = "ranks", .title = "", .columns = {}, .rows = {}, .total_rows = order.size()};
  table.columns = {{"rank", "rank", ""},
                   {"host", "host", "", Align::left, true},
                   {"pid", "pid", ""},
                   {"wall", "wall", "seconds"},
                   {"cpu", "cpu", "seconds"},
                   {"peak_heap", "peak heap", "bytes"},
                   {"max_rss", "peak rss", "bytes"},
                   {"mpi", "mpi", "seconds"},
                   {"mpi_percent", "mpi %", ""}};
  auto none = [] { return Cell{"-", {}}; };
  for (const auto* snapshot : order) {
    const auto& meta = snapshot->meta;
    std::vector<Cell> row{meta.rank ? Cell::count(*meta.rank) : none(),
                          Cell::string(meta.host),
                          Cell::count(meta.pid),
                          Cell::seconds(meta.wall_seconds),
                          Cell::seconds(meta.user_seconds + meta.system_seconds),
                          snapshot->memory && snapshot->memory->summary
                              ? Cell::bytes(snapshot->memory->summary->peak_bytes)
                              : none()};
    row.push_back(Cell::bytes(meta.max_rss_bytes));
    if (snapshot->mpi) {
      double mpi = static_cast<double>(snapshot->mpi->total_ns()) / 1e9;
      row.push_back(Cell::seconds(mpi));
      if (meta.wall_seconds > 0) {
        double percent = 100 * mpi / meta.wall_seconds;
        row.push_back({fmt::format("{:.1f}", percent), percent});
      } else {
        row.push_back(none());
      }
    } else {
      row.push_back(none());
      row.push_back(none());
    }
    table.rows.push_back(std::move(row));
  }
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
