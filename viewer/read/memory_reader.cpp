// Reads the memory section (docs/SNAPSHOT.md); scope_reader.cpp reads scopes, timers_reader.cpp timers.
#include <fmt/format.h>

#include "read/memory_reader.hpp"
#include "read/table_reader.hpp"

namespace prof::viewer {

namespace {

std::int64_t required_count(const json::object& object, std::string_view key, std::string_view where) {
  return json::to_count(json::require(object, key, where), json::join(where, key));
}

std::optional<std::int64_t> optional_count(const json::object& object, std::string_view key,
                                           std::string_view where) {
  auto value = json::find(object, key);
  if (!value) return std::nullopt;
  return json::to_count(*value, json::join(where, key));
}

// Read by hand: the table reader has no real-number cells, and seconds are real numbers.
std::vector<MemoryPoint> read_timeline(const json::element& value) {
  constexpr std::string_view where = "memory.timeline";
  auto object = json::to_object(value, where);
  std::optional<std::size_t> wall, live;
  std::size_t c = 0;
  for (auto column : json::to_array(json::require(object, "columns", where), json::join(where, "columns"))) {
    auto name = json::to_string(column, json::join(where, "columns"));
    if (name == "wall_seconds") wall = c;
    if (name == "live_bytes") live = c;
    ++c;
  }
  if (!wall || !live) json::fail("memory.timeline: needs the columns wall_seconds and live_bytes");
  std::vector<MemoryPoint> points;
  std::size_t r = 0;
  for (auto row : json::to_array(json::require(object, "rows", where), json::join(where, "rows"))) {
    auto at = fmt::format("memory.timeline.rows[{}]", r++);
    auto cells = json::to_array(row, at);
    if (cells.size() != c) json::fail(fmt::format("{}: has {} cells for {} columns", at, cells.size(), c));
    points.push_back(
        {json::to_number(cells.at(*wall).value(), at), json::to_count(cells.at(*live).value(), at)});
    if (!(points.back().wall_seconds >= 0)) json::fail(fmt::format("{}: wall_seconds must be 0 or more", at));
  }
  return points;
}

// "mode": "exact" (also when absent: snapshots before the sampled mode) or "sampled" with its interval.
void read_mode(const json::object& object, Memory& memory) {
  auto mode_value = json::find(object, "mode");
  if (!mode_value) return;
  auto mode = json::to_string(*mode_value, "memory.mode");
  if (mode == "exact") return;
  if (mode != "sampled")
    json::fail(fmt::format("memory.mode: is \"{}\", expected \"exact\" or \"sampled\"", mode));
  if (!memory.summary) json::fail("memory: a sampled section needs its summary");
  auto interval = required_count(object, "sample_interval_bytes", "memory");
  if (interval < 1) json::fail("memory.sample_interval_bytes: must be 1 or more");
  memory.summary->sample_interval_bytes = interval;
}

}  // namespace

Memory read_memory(const json::element& value, const Snapshot& snapshot) {
  auto object = json::to_object(value, "memory");
  Memory memory;
  if (auto summary_value = json::find(object, "summary")) {
    constexpr std::string_view where = "memory.summary";
    auto summary = json::to_object(*summary_value, where);
    memory.summary = MemorySummary{
        .allocations = required_count(summary, "allocations", where),
        .allocated_bytes = required_count(summary, "allocated_bytes", where),
        .peak_bytes = required_count(summary, "peak_bytes", where),
        .peak_wall_seconds = json::optional_number(summary, "peak_wall_seconds", where),
        .leaked_allocations = required_count(summary, "leaked_allocations", where),
        .leaked_bytes = required_count(summary, "leaked_bytes", where),
        .temporary_allocations = optional_count(summary, "temporary_allocations", where),
        .tracer_bytes = optional_count(summary, "tracer_bytes", where),
        .runtime_pool_allocations = optional_count(summary, "runtime_pool_allocations", where),
        .runtime_pool_bytes = optional_count(summary, "runtime_pool_bytes", where),
        .sample_interval_bytes = std::nullopt,
        .samples = optional_count(summary, "samples", where),
    };
  }
  read_mode(object, memory);
  TableReader sites(json::require(object, "sites", "memory"), "memory.sites");
  const auto stack = sites.require_column("stack");
  const auto allocations = sites.require_column("allocations");
  const auto allocated = sites.require_column("allocated_bytes");
  const auto peak = sites.require_column("peak_bytes");
  const auto leaked_allocations = sites.require_column("leaked_allocations");
  const auto leaked_bytes = sites.require_column("leaked_bytes");
  const auto temporary = sites.find_column("temporary_allocations");
  memory.sites.reserve(sites.row_count());
  while (sites.next()) {
    memory.sites.push_back({
        .stack = sites.index(stack, snapshot.stacks.size(), "stacks"),
        .allocations = sites.count(allocations),
        .allocated_bytes = sites.count(allocated),
        .peak_bytes = sites.count(peak),
        .leaked_allocations = sites.count(leaked_allocations),
        .leaked_bytes = sites.count(leaked_bytes),
        .temporary_allocations = temporary ? sites.count(*temporary) : 0,
    });
  }
  if (auto timeline = json::find(object, "timeline")) memory.timeline = read_timeline(*timeline);
  return memory;
}

}  // namespace prof::viewer
