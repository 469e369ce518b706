#include "scopes/scopes_section.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <prof/detail/scope_guard.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/proc_file.hpp"
#include "scopes/calibration.hpp"
#include "scopes/page_memory.hpp"
#include "scopes/site_table.hpp"
#include "scopes/thread_registry.hpp"

namespace prof::scopes {

namespace {

// Sites the last `scopes` section referred to; the `strings` section right after it writes their names.
std::atomic<std::uint32_t> g_sites_written{0};

struct NodeScratch {
  std::uint64_t calls;          // completed and open
  std::uint64_t open_calls;     // open when the snapshot began (counted with their time so far)
  std::uint64_t subtree_calls;  // this node's and its descendants'
  double descendants_cost_ns;   // what the entries below it cost it: (inner + outer) of each
  double raw_ns;
  double children_raw_ns;
  double total_ns;  // compensated
  double children_total_ns;
  std::int64_t row;         // -1: not written
  std::uint32_t parent;     // node index (the root is its own parent)
  std::uint32_t site_slot;  // as in detail::ScopeNode
};

struct Cost {
  double inner_ns = 0;
  double outer_ns = 0;
};

struct Conversion {
  double ns_per_tick;
  Cost scope;
  Cost function;      // a call recorded by the -finstrument-functions hooks
  std::uint64_t now;  // the clock when the snapshot began: open calls end here
};

// A node's counters with its open call, if any, as if it ended at `now`. The owner may close the call while
// we read: read the mark on both sides of the counters and retry when it moved, so the call is counted once.
struct NodeCounts {
  std::uint64_t calls, ticks, open_calls;
};
NodeCounts read_counts(const detail::ScopeNode& node, std::uint64_t now) noexcept {
  NodeCounts counts{};
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::uint64_t since = node.open_since.load(std::memory_order_acquire);
    counts.calls = node.calls.load(std::memory_order_acquire);
    counts.ticks = node.ticks.load(std::memory_order_acquire);
    std::uint64_t again = node.open_since.load(std::memory_order_acquire);
    if (since != again) continue;
    // A call that began after `now` is left for the next snapshot, as it would be in any other order.
    counts.open_calls = since != 0 && since <= now ? 1 : 0;
    if (counts.open_calls) counts.ticks += now - since;
    break;
  }
  counts.calls += counts.open_calls;
  return counts;
}

std::int64_t nanoseconds(double ns) noexcept {
  return ns <= 0 ? 0 : static_cast<std::int64_t>(std::llround(ns));
}

// Whether an ancestor of node i has its site (the same site has the same slot, even once its library is
// gone).
bool is_recursive(const NodeScratch* scratch, std::uint32_t i) noexcept {
  for (std::uint32_t up = scratch[i].parent; up != 0; up = scratch[up].parent)
    if (scratch[up].site_slot == scratch[i].site_slot) return true;
  return false;
}

// The name the kernel knows now for a live thread (it may have been renamed after its first scope).
void current_thread_name(const ThreadTree& tree, char (&name)[16]) noexcept {
  if (tree.ended.load(std::memory_order_acquire)) {
    std::memcpy(name, tree.end_name, sizeof name);
    return;
  }
  std::memcpy(name, tree.name, sizeof name);
  char path[64] = "/proc/self/task/";
  constexpr std::size_t kPrefix = sizeof "/proc/self/task/" - 1;
  auto digits = std::to_chars(path + kPrefix, path + sizeof path - 8, tree.tid);
  if (digits.ec != std::errc()) return;
  std::memcpy(digits.ptr, "/comm", sizeof "/comm");
  char comm[32];
  long length = core::read_file_into(path, comm, sizeof comm - 1);
  if (length <= 0) return;
  while (length > 0 && (comm[length - 1] == '\n' || comm[length - 1] == '\0'))
    --length;
  std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(length), sizeof name - 1);
  std::memcpy(name, comm, n);
  name[n] = '\0';
}

// Fills the scratch of nodes [0, count): counts since the last reset, subtree sums, compensated totals. A
// descendant scope costs its ancestors both what it measures of itself (inner) and what it adds around that
// (outer); the node's own calls cost it only inner.
// Children come after their parents, so one backward pass sees every subtree complete.
void compute(ThreadTree& tree, NodeScratch* scratch, std::uint32_t count, const Conversion& c) noexcept {
  if (tree.folded()) {
    // An ended thread: its counts since the reset were copied when it ended, and no call is open.
    const CompactNode* nodes = tree.compact_nodes();
    for (std::uint32_t i = 0; i < count; ++i)
      scratch[i] = NodeScratch{nodes[i].calls,
                               0,
                               0,
                               0,
                               static_cast<double>(nodes[i].ticks) * c.ns_per_tick,
                               0,
                               0,
                               0,
                               -1,
                               nodes[i].parent,
                               nodes[i].site_slot};
  }
  const Baseline* baseline = tree.baseline;
  for (std::uint32_t i = 0; i < count && !tree.folded(); ++i) {
    const detail::ScopeNode* node = tree.node(i);
    NodeCounts counts = read_counts(*node, c.now);
    std::uint64_t calls = counts.calls;
    std::uint64_t ticks = counts.ticks;
    if (baseline && i < baseline->count) {
      calls -= std::min(calls, baseline->values[2 * i]);
      ticks -= std::min(ticks, baseline->values[2 * i + 1]);
    }
    scratch[i] = NodeScratch{calls,
                             counts.open_calls,
                             0,
                             0,
                             static_cast<double>(ticks) * c.ns_per_tick,
                             0,
                             0,
                             0,
                             -1,
                             node->parent ? node->parent->index : 0,
                             node->site_slot};
  }
  std::uint32_t sites = site_count();
  for (std::uint32_t i = count; i-- > 1;) {
    NodeScratch& s = scratch[i];
    s.subtree_calls += s.calls;
    bool function = s.site_slot > 0 && s.site_slot <= sites && site_at(s.site_slot - 1).function;
    const Cost& cost = function ? c.function : c.scope;
    auto calls = static_cast<double>(s.calls);
    s.total_ns = std::max(0.0, s.raw_ns - calls * cost.inner_ns - s.descendants_cost_ns);
    NodeScratch& parent = scratch[s.parent];
    parent.descendants_cost_ns += s.descendants_cost_ns + calls * (cost.inner_ns + cost.outer_ns);
    parent.subtree_calls += s.subtree_calls;
    parent.children_raw_ns += s.raw_ns;
    parent.children_total_ns += s.total_ns;
  }
}

void write_thread(core::JsonWriter& out, ThreadTree& tree, const Conversion& c) noexcept {
  std::uint32_t count = tree.published_nodes();
  if (count <= 1) return;
  std::size_t bytes = sizeof(NodeScratch) * count;
  auto* scratch = static_cast<NodeScratch*>(map_pages(bytes));
  if (!scratch) return;
  compute(tree, scratch, count, c);
  std::int64_t rows = 0;
  for (std::uint32_t i = 1; i < count; ++i)
    if (scratch[i].subtree_calls > 0) scratch[i].row = rows++;
  if (rows > 0) {
    char name[16];
    current_thread_name(tree, name);
    out.begin_object();
    out.field("id", tree.id);
    out.field("tid", static_cast<std::int64_t>(tree.tid));
    out.field("name", static_cast<const char*>(name));
    out.field("ended", tree.ended.load(std::memory_order_acquire));
    out.key("nodes");
    out.begin_object();
    out.key("columns");
    out.begin_array();
    for (const char* column : {"parent", "site", "calls", "primitive_calls", "total_ns", "self_ns",
                               "raw_total_ns", "raw_self_ns", "open_calls"})
      out.value(column);
    out.end_array();
    out.key("rows");
    out.begin_array();
    for (std::uint32_t i = 1; i < count; ++i) {
      const NodeScratch& s = scratch[i];
      if (s.row < 0) continue;
      out.begin_array();
      out.value(scratch[s.parent].row);
      out.value(static_cast<std::int64_t>(s.site_slot) - 1);
      out.value(s.calls);
      out.value(is_recursive(scratch, i) ? std::uint64_t{0} : s.calls);
      out.value(nanoseconds(s.total_ns));
      out.value(nanoseconds(s.total_ns - s.children_total_ns));
      out.value(nanoseconds(s.raw_ns));
      out.value(nanoseconds(s.raw_ns - s.children_raw_ns));
      out.value(s.open_calls);
      out.end_array();
    }
    out.end_array();
    out.end_object();
    out.end_object();
  }
  unmap_pages(scratch, bytes);
}

}  // namespace

void write_scopes_section(core::JsonWriter& out, void*) noexcept {
  Overhead overhead = scopes::overhead();
  Conversion c{1e9 / core::clock::ticks_per_second(), {}, {}, detail::read_clock()};
  if (overhead.calibrated) {
    c.scope = {overhead.inner_ticks * c.ns_per_tick, overhead.outer_ticks * c.ns_per_tick};
    c.function = c.scope;
  }
  if (overhead.calibrated && overhead.function_measurements > 0)
    c.function = {overhead.function_inner_ticks * c.ns_per_tick,
                  overhead.function_outer_ticks * c.ns_per_tick};
  out.begin_object();
  out.key("overhead");
  out.begin_object();
  out.field("inner_ns", c.scope.inner_ns);
  out.field("outer_ns", c.scope.outer_ns);
  out.field("calibrated", overhead.calibrated);
  out.field("measurements", overhead.measurements);
  if (overhead.calibrated && overhead.function_measurements > 0) {
    out.field("function_inner_ns", c.function.inner_ns);
    out.field("function_outer_ns", c.function.outer_ns);
    out.field("function_measurements", overhead.function_measurements);
  }
  out.end_object();
  out.field("max_depth", max_depth());
  out.key("threads");
  out.begin_array();
  for_each_tree([&](ThreadTree& tree) { write_thread(out, tree, c); });
  out.end_array();
  // Read after the trees: every site a written node refers to was registered before the node was published.
  std::uint32_t sites = site_count();
  g_sites_written.store(sites, std::memory_order_relaxed);
  out.key("sites");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  out.value("name");
  out.value("file");
  out.value("line");
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint32_t i = 0; i < sites; ++i) {
    out.begin_array();
    out.value(1 + 2 * i);
    out.value(2 + 2 * i);
    out.value(site_at(i).line);
    out.end_array();
  }
  out.end_array();
  out.end_object();
  out.end_object();
}

void write_strings_section(core::JsonWriter& out, void*) noexcept {
  std::uint32_t sites = g_sites_written.load(std::memory_order_relaxed);
  out.begin_array();
  out.value("");
  for (std::uint32_t i = 0; i < sites; ++i) {
    out.value(site_at(i).name);
    out.value(site_at(i).file);
  }
  out.end_array();
}

}  // namespace prof::scopes
