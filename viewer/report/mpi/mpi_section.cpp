// `prof report --mpi`: what the MPI interposer counted, summed over the ranks, and how the time each
// operation took spread across them (a rank that waits in MPI_Barrier the longest arrived first).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/across_table.hpp"
#include "report/mpi/mpi_section.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

struct OperationTotals {
  std::int64_t calls = 0, bytes_sent = 0, bytes_received = 0, total_ns = 0;
  Spread time;  // seconds per process
};

}  // namespace

Section mpi_section(const std::vector<Snapshot>& snapshots) {
  Section section{.key = "mpi",
                  .title = "MPI",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  std::map<std::string, OperationTotals> totals;
  std::vector<std::string> first_seen;  // operations in the order the first rank listed them
  std::vector<ProcessLabel> members;
  std::string library;
  std::int64_t all_ns = 0;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.mpi) continue;
    const auto ordinal = members.size();
    members.push_back(label_of(snapshot.meta));
    if (library.empty()) library = snapshot.mpi->library;
    std::map<std::string, std::int64_t> own_ns;  // an operation listed twice is one row
    for (const auto& operation : snapshot.mpi->operations) {
      auto [it, added] = totals.try_emplace(operation.name);
      if (added) first_seen.push_back(operation.name);
      auto& row = it->second;
      row.calls = add_saturating(row.calls, operation.calls);
      row.bytes_sent = add_saturating(row.bytes_sent, operation.bytes_sent);
      row.bytes_received = add_saturating(row.bytes_received, operation.bytes_received);
      row.total_ns = add_saturating(row.total_ns, operation.total_ns);
      own_ns[operation.name] = add_saturating(own_ns[operation.name], operation.total_ns);
      all_ns = add_saturating(all_ns, operation.total_ns);
    }
    for (const auto& [name, ns] : own_ns)
      totals[name].time.add(ordinal, static_cast<double>(ns) / 1e9);
  }
  if (members.empty()) {
    section.present = false;
    section.absent_note = "no mpi section (no MPI interposer data) in these snapshots";
    return section;
  }
  if (!library.empty()) section.facts.push_back({"library", "library", Cell::string(library)});
  section.facts.push_back({"processes", "processes", Cell::count(static_cast<std::int64_t>(members.size()))});
  section.facts.push_back({"total_seconds", "time in MPI", Cell::seconds(static_cast<double>(all_ns) / 1e9)});
  std::stable_sort(first_seen.begin(), first_seen.end(), [&](const std::string& a, const std::string& b) {
    return totals[a].total_ns > totals[b].total_ns;
  });
  Table table{.key = "operations", .title = "", .columns = {}, .rows = {}, .total_rows = first_seen.size()};
  table.columns = {{"name", "operation", "", Align::left, true},
                   {"calls", "calls", ""},
                   {"bytes_sent", "sent", "bytes"},
                   {"bytes_received", "received", "bytes"},
                   {"total", "time", "seconds"}};
  std::vector<AcrossRow> across;
  const auto parent = parents_of(members);
  for (const auto& name : first_seen) {
    const auto& row = totals[name];
    table.rows.push_back({Cell::string(name), Cell::count(row.calls), Cell::bytes(row.bytes_sent),
                          Cell::bytes(row.bytes_received),
                          Cell::seconds(static_cast<double>(row.total_ns) / 1e9)});
    across.push_back({.name = name, .lead = {}, .stats = row.time.stats(parent)});
  }
  section.tables.push_back(std::move(table));
  if (members.size() > 1) {
    auto spread = across_table(
        {.key = "across", .name_title = "operation", .lead_columns = {}, .unit = AcrossUnit::seconds}, across,
        members);
    section.tables.push_back(std::move(spread));
  }
  return section;
}

}  // namespace prof::viewer
