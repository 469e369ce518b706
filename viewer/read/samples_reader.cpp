// Reads the optional `samples` section (docs/SNAPSHOT.md): counts per stack, checked against "stacks".
#include "read/samples_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "read/table_reader.hpp"

namespace prof::viewer {

Samples read_samples(const json::element& value, const Snapshot& snapshot) {
  auto object = json::to_object(value, "samples");
  Samples samples;
  samples.clock = std::string(json::to_string(json::require(object, "clock", "samples"), "samples.clock"));
  samples.hz = json::to_number(json::require(object, "hz", "samples"), "samples.hz");
  if (!(samples.hz >= 0)) json::fail("samples.hz: must not be negative");
  if (auto period = json::find(object, "period_seconds"))
    samples.period_seconds = json::to_number(*period, "samples.period_seconds");
  else if (samples.hz > 0)
    samples.period_seconds = 1.0 / samples.hz;
  samples.samples = json::to_count(json::require(object, "samples", "samples"), "samples.samples");
  if (auto dropped = json::find(object, "dropped"))
    samples.dropped = json::to_count(*dropped, "samples.dropped");
  TableReader stacks(json::require(object, "stacks", "samples"), "samples.stacks");
  const auto stack = stacks.require_column("stack");
  const auto count = stacks.require_column("samples");
  const auto thread = stacks.find_column("thread");
  const auto waiting = stacks.find_column("waiting");
  samples.stacks.reserve(stacks.row_count());
  while (stacks.next())
    samples.stacks.push_back({.stack = stacks.index(stack, snapshot.stacks.size(), "stacks"),
                              .samples = stacks.count(count),
                              .thread = thread ? stacks.integer(*thread) : 0,
                              .waiting = waiting && stacks.boolean(*waiting)});
  if (auto threads = json::find(object, "threads")) {
    // Names are strings, not string-table indices: read row by row.
    auto table = json::to_object(*threads, "samples.threads");
    auto columns =
        json::to_array(json::require(table, "columns", "samples.threads"), "samples.threads.columns");
    std::optional<std::size_t> tid_at, name_at;
    std::size_t at = 0;
    for (auto column : columns) {
      auto name = json::to_string(column, "samples.threads.columns");
      if (name == "thread") tid_at = at;
      if (name == "name") name_at = at;
      ++at;
    }
    if (!tid_at || !name_at) json::fail("samples.threads: needs the columns thread and name");
    std::size_t row_number = 0;
    for (auto row : json::to_array(json::require(table, "rows", "samples.threads"), "samples.threads.rows")) {
      const std::string where = fmt::format("samples.threads.rows[{}]", row_number++);
      std::vector<json::element> cells;
      for (auto cell : json::to_array(row, where))
        cells.push_back(cell);
      if (cells.size() <= std::max(*tid_at, *name_at)) json::fail(where + ": too few cells");
      samples.threads.push_back({.tid = json::to_int(cells[*tid_at], where),
                                 .name = std::string(json::to_string(cells[*name_at], where))});
    }
  }
  return samples;
}

}  // namespace prof::viewer
