// Reads the instruments' sections: scopes, memory, timers (docs/SNAPSHOT.md, their chapters).
#include <fmt/format.h>

#include "section_readers.hpp"
#include "table_reader.hpp"

namespace prof::viewer {

namespace {

std::vector<ScopeNode> read_scope_nodes(const json::element& value, const std::string& where,
                                        std::size_t sites) {
  TableReader table(value, where);
  const auto parent = table.require_column("parent");
  const auto site = table.require_column("site");
  const auto calls = table.require_column("calls");
  const auto primitive = table.find_column("primitive_calls");
  const auto total = table.require_column("total_ns");
  const auto self = table.require_column("self_ns");
  std::vector<ScopeNode> nodes;
  nodes.reserve(table.row_count());
  while (table.next()) {
    ScopeNode node;
    node.parent = table.integer(parent);
    // Parents come before their children, which also rules out cycles.
    if (node.parent != -1) node.parent = table.index(parent, nodes.size(), "the nodes before this one");
    node.site = table.index(site, sites, "scopes.sites");
    node.calls = table.count(calls);
    node.primitive_calls = primitive ? table.count(*primitive) : node.calls;
    node.total_ns = table.count(total);
    node.self_ns = table.count(self);
    nodes.push_back(node);
  }
  return nodes;
}

std::optional<double> optional_number(const json::object& object, std::string_view key,
                                      std::string_view where) {
  auto value = json::find(object, key);
  if (!value) return std::nullopt;
  return json::to_number(*value, json::join(where, key));
}

std::int64_t required_count(const json::object& object, std::string_view key, std::string_view where) {
  return json::to_count(json::require(object, key, where), json::join(where, key));
}

}  // namespace

Scopes read_scopes(const json::element& value, const Snapshot& snapshot) {
  auto object = json::to_object(value, "scopes");
  Scopes scopes;
  TableReader sites(json::require(object, "sites", "scopes"), "scopes.sites");
  const auto name = sites.require_column("name");
  const auto file = sites.require_column("file");
  const auto line = sites.require_column("line");
  while (sites.next()) {
    scopes.sites.push_back({sites.index(name, snapshot.strings.size(), "strings"),
                            sites.index(file, snapshot.strings.size(), "strings"), sites.count(line)});
  }
  std::size_t i = 0;
  for (auto entry : json::to_array(json::require(object, "threads", "scopes"), "scopes.threads")) {
    auto where = fmt::format("scopes.threads[{}]", i++);
    auto thread_object = json::to_object(entry, where);
    ScopeThread thread;
    thread.id = json::to_int(json::require(thread_object, "id", where), json::join(where, "id"));
    if (auto thread_name = json::find(thread_object, "name"))
      thread.name = json::to_string(*thread_name, json::join(where, "name"));
    thread.nodes = read_scope_nodes(json::require(thread_object, "nodes", where), json::join(where, "nodes"),
                                    scopes.sites.size());
    scopes.threads.push_back(std::move(thread));
  }
  return scopes;
}

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
        .peak_wall_seconds = optional_number(summary, "peak_wall_seconds", where),
        .leaked_allocations = required_count(summary, "leaked_allocations", where),
        .leaked_bytes = required_count(summary, "leaked_bytes", where),
    };
  }
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
  return memory;
}

Timers read_timers(const json::element& value) {
  auto object = json::to_object(value, "timers");
  Timers timers;
  if (auto timings = json::find(object, "timings")) {
    std::size_t i = 0;
    for (auto entry : json::to_array(*timings, "timers.timings")) {
      auto where = fmt::format("timers.timings[{}]", i++);
      auto timing_object = json::to_object(entry, where);
      Timing timing;
      timing.name = json::to_string(json::require(timing_object, "name", where), json::join(where, "name"));
      timing.runs = required_count(timing_object, "runs", where);
      timing.loops = required_count(timing_object, "loops", where);
      for (auto sample :
           json::to_array(json::require(timing_object, "samples", where), json::join(where, "samples")))
        timing.samples.push_back(json::to_number(sample, json::join(where, "samples[]")));
      timing.min = optional_number(timing_object, "min", where);
      timing.median = optional_number(timing_object, "median", where);
      timing.mean = optional_number(timing_object, "mean", where);
      timing.stddev = optional_number(timing_object, "stddev", where);
      timing.mad = optional_number(timing_object, "mad", where);
      timers.timings.push_back(std::move(timing));
    }
  }
  if (auto comparisons = json::find(object, "comparisons")) {
    std::size_t i = 0;
    for (auto entry : json::to_array(*comparisons, "timers.comparisons")) {
      auto where = fmt::format("timers.comparisons[{}]", i++);
      auto comparison_object = json::to_object(entry, where);
      auto number = [&](std::string_view key) {
        return json::to_number(json::require(comparison_object, key, where), json::join(where, key));
      };
      Comparison comparison;
      comparison.a = json::to_string(json::require(comparison_object, "a", where), json::join(where, "a"));
      comparison.b = json::to_string(json::require(comparison_object, "b", where), json::join(where, "b"));
      comparison.ratio = number("ratio");
      comparison.low = number("low");
      comparison.high = number("high");
      if (auto significant = json::find(comparison_object, "significant"))
        comparison.significant = json::to_bool(*significant, json::join(where, "significant"));
      timers.comparisons.push_back(std::move(comparison));
    }
  }
  return timers;
}

}  // namespace prof::viewer
