// Reads the scope profiler's section (docs/SNAPSHOT.md, "scopes") into the model, checking every index.
#include <fmt/format.h>

#include <algorithm>

#include "read/scope_reader.hpp"
#include "read/table_reader.hpp"

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
  // Snapshots written before compensation existed measured only the raw times.
  const auto raw_total = table.find_column("raw_total_ns");
  const auto raw_self = table.find_column("raw_self_ns");
  // Snapshots written before open scopes were counted have no such column: none was open.
  const auto open = table.find_column("open_calls");
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
    node.raw_total_ns = raw_total ? table.count(*raw_total) : node.total_ns;
    node.raw_self_ns = raw_self ? table.count(*raw_self) : node.self_ns;
    // Open calls are among the calls: more would count a call that never began.
    node.open_calls = open ? std::min(table.count(*open), node.calls) : 0;
    nodes.push_back(node);
  }
  return nodes;
}

ScopeOverhead read_overhead(const json::element& value) {
  constexpr std::string_view where = "scopes.overhead";
  auto object = json::to_object(value, where);
  auto nanoseconds = [&](std::string_view key) {
    double ns = json::to_number(json::require(object, key, where), json::join(where, key));
    if (!(ns >= 0)) json::fail(fmt::format("{}: must not be negative", json::join(where, key)));
    return ns;
  };
  ScopeOverhead overhead;
  overhead.inner_ns = nanoseconds("inner_ns");
  overhead.outer_ns = nanoseconds("outer_ns");
  overhead.calibrated =
      json::to_bool(json::require(object, "calibrated", where), json::join(where, "calibrated"));
  if (json::find(object, "function_inner_ns")) {
    overhead.function_inner_ns = nanoseconds("function_inner_ns");
    overhead.function_outer_ns = nanoseconds("function_outer_ns");
    overhead.functions_calibrated = true;
  }
  return overhead;
}

ScopeThread read_thread(const json::element& value, const std::string& where, std::size_t sites) {
  auto object = json::to_object(value, where);
  ScopeThread thread;
  thread.id = json::to_int(json::require(object, "id", where), json::join(where, "id"));
  if (auto tid = json::find(object, "tid")) thread.tid = json::to_int(*tid, json::join(where, "tid"));
  if (auto name = json::find(object, "name")) thread.name = json::to_string(*name, json::join(where, "name"));
  if (auto ended = json::find(object, "ended"))
    thread.ended = json::to_bool(*ended, json::join(where, "ended"));
  thread.nodes = read_scope_nodes(json::require(object, "nodes", where), json::join(where, "nodes"), sites);
  return thread;
}

}  // namespace

Scopes read_scopes(const json::element& value, const Snapshot& snapshot) {
  auto object = json::to_object(value, "scopes");
  Scopes scopes;
  if (auto overhead = json::find(object, "overhead")) scopes.overhead = read_overhead(*overhead);
  if (auto depth = json::find(object, "max_depth"))
    scopes.max_depth = json::to_count(*depth, "scopes.max_depth");
  TableReader sites(json::require(object, "sites", "scopes"), "scopes.sites");
  const auto name = sites.require_column("name");
  const auto file = sites.require_column("file");
  const auto line = sites.require_column("line");
  while (sites.next()) {
    scopes.sites.push_back({sites.index(name, snapshot.strings.size(), "strings"),
                            sites.index(file, snapshot.strings.size(), "strings"), sites.count(line)});
  }
  std::size_t i = 0;
  for (auto entry : json::to_array(json::require(object, "threads", "scopes"), "scopes.threads"))
    scopes.threads.push_back(read_thread(entry, fmt::format("scopes.threads[{}]", i++), scopes.sites.size()));
  return scopes;
}

}  // namespace prof::viewer
