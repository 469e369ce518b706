// `prof report --by-rank`: the processes side by side, one row each, in rank order: where the time, the
// memory and the MPI waiting went per rank.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "report/processes/rank_census.hpp"
#include "report/processes/ranks_section.hpp"

namespace prof::viewer {

namespace {

// The rank the others waited for: the most time outside MPI (wall minus every MPI call, MPI_Init and
// MPI_Finalize included, so what is left is the rank's own work). Said for two ranks or more, each with an
// mpi section; the imbalance is that rank's time over the mean, as for the across tables.
void add_slowest_rank(Section& section, const std::vector<const Snapshot*>& order) {
  struct Work {
    std::int64_t rank;
    double outside, in_mpi;
  };
  std::map<std::int64_t, std::int64_t> rank_of_pid;
  for (const auto* snapshot : order)
    if (snapshot->meta.rank) rank_of_pid[snapshot->meta.pid] = *snapshot->meta.rank;
  std::vector<Work> ranks;
  for (const auto* snapshot : order) {
    if (!snapshot->meta.rank || !snapshot->mpi) continue;
    // The workers a rank forks carry its number: the rank is the process whose parent is not that rank.
    auto parent = rank_of_pid.find(snapshot->meta.ppid);
    if (parent != rank_of_pid.end() && parent->second == *snapshot->meta.rank) continue;
    const double in_mpi = static_cast<double>(snapshot->mpi->total_ns()) / 1e9;
    ranks.push_back({*snapshot->meta.rank, std::max(0.0, snapshot->meta.wall_seconds - in_mpi), in_mpi});
  }
  if (ranks.size() < 2) return;
  double mean = 0;
  for (const auto& r : ranks)
    mean += r.outside / static_cast<double>(ranks.size());
  const auto slowest = *std::max_element(ranks.begin(), ranks.end(),
                                         [](const Work& a, const Work& b) { return a.outside < b.outside; });
  const auto waited = *std::max_element(ranks.begin(), ranks.end(),
                                        [](const Work& a, const Work& b) { return a.in_mpi < b.in_mpi; });
  section.facts.push_back({"slowest_rank", "slowest rank", Cell::count(slowest.rank)});
  section.facts.push_back(
      {"slowest_outside_mpi_seconds", "its time outside MPI", Cell::seconds(slowest.outside)});
  section.facts.push_back({"mean_outside_mpi_seconds", "mean outside MPI", Cell::seconds(mean)});
  if (mean > 0)
    section.facts.push_back({"imbalance",
                             "imbalance (max/mean)",
                             {fmt::format("{:.2f}", slowest.outside / mean), slowest.outside / mean}});
  section.facts.push_back({"most_waiting_rank", "waited longest in MPI", Cell::count(waited.rank)});
}

}  // namespace

Section ranks_section(const std::vector<Snapshot>& snapshots, bool whole_job) {
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
  // How each rank ended, when one did not exit with 0 or left no snapshot (a clean job keeps its table).
  const auto census = whole_job ? rank_census(snapshots) : RankCensus{};
  const bool endings = !census.missing.empty() || !census.endings.empty();
  if (endings) table.columns.push_back({"ended", "ended", ""});
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
    if (endings) row.push_back(Cell::string(ending_text(meta.exit)));
    table.rows.push_back(std::move(row));
  }
  // A rank the job had but that left no snapshot gets its row too, where it would have been.
  for (auto missing : census.missing) {
    std::vector<Cell> row{Cell::count(missing)};
    for (std::size_t c = 1; c + 1 < table.columns.size(); ++c)
      row.push_back(none());
    row.push_back(Cell::string("no snapshot"));
    auto at = std::find_if(table.rows.begin(), table.rows.end(), [&](const std::vector<Cell>& r) {
      const auto* rank = std::get_if<std::int64_t>(&r[0].raw);
      return !rank || *rank > missing;
    });
    table.rows.insert(at, std::move(row));
  }
  table.total_rows = table.rows.size();
  section.tables.push_back(std::move(table));

  add_slowest_rank(section, order);
  return section;
}

}  // namespace prof::viewer
