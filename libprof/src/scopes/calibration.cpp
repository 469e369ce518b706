#include "scopes/calibration.hpp"

#include <algorithm>
#include <atomic>

#include <prof/detail/scope_guard.hpp>

#include "scopes/thread_registry.hpp"

namespace prof::scopes {

namespace {

constexpr int kRounds = 31;
constexpr int kChildren = 256;

// The cost measured when the counts began (start-up or the last reset) and, once a snapshot has been asked
// for, when they were last written: a snapshot compensates with the mean of both, the two ends of the period
// its counts come from. One measurement taken at start-up alone was off by up to 10 % on a VM whose speed
// changes under the neighbours' load (docs/PERFORMANCE.md, "Overhead compensation").
struct Ends {
  std::atomic<double> inner{0}, outer{0};
  std::atomic<bool> valid{false};
};
Ends g_start, g_end;

constinit detail::ScopeSite g_parent_site("prof: calibration parent", __FILE__, __LINE__);
constinit detail::ScopeSite g_child_site("prof: calibration child", __FILE__, __LINE__);

detail::ScopeNode* node_of(ThreadTree& tree, const detail::ScopeSite& site) noexcept {
  for (std::uint32_t i = 1; i < tree.published_nodes(); ++i)
    if (tree.node(i)->site == &site) return tree.node(i);
  return nullptr;
}

// The guard the macros expand to, so the cost measured is the cost the program pays.
__attribute__((noinline)) void parent_with_children() noexcept {
  const detail::ScopeGuard parent(g_parent_site);
  for (int i = 0; i < kChildren; ++i) {
    const detail::ScopeGuard child(g_child_site);
    asm volatile("");  // a scope has a body: the compiler may not fold one child's exit into the next entry
  }
}

__attribute__((noinline)) void parent_alone() noexcept {
  const detail::ScopeGuard parent(g_parent_site);
  for (int i = 0; i < kChildren; ++i)
    asm volatile("");
}

void measure(ThreadTree& tree, void* context) noexcept {
  auto* out = static_cast<double*>(context);
  double inner[kRounds], outer[kRounds];
  // Warm-up: creates the nodes and brings the code into the caches.
  parent_with_children();
  parent_alone();
  detail::ScopeNode* parent = node_of(tree, g_parent_site);
  detail::ScopeNode* child = node_of(tree, g_child_site);
  if (!parent || !child) return;
  auto ticks = [](detail::ScopeNode* node) { return node->ticks.load(std::memory_order_relaxed); };
  for (int round = 0; round < kRounds; ++round) {
    std::uint64_t parent_before = ticks(parent), child_before = ticks(child);
    parent_with_children();
    auto with_children = static_cast<double>(ticks(parent) - parent_before);
    auto children = static_cast<double>(ticks(child) - child_before);
    parent_before = ticks(parent);
    parent_alone();
    auto alone = static_cast<double>(ticks(parent) - parent_before);
    inner[round] = children / kChildren;
    outer[round] = (with_children - alone - children) / kChildren;
  }
  std::nth_element(inner, inner + kRounds / 2, inner + kRounds);
  std::nth_element(outer, outer + kRounds / 2, outer + kRounds);
  out[0] = std::max(0.0, inner[kRounds / 2]);
  out[1] = std::max(0.0, outer[kRounds / 2]);
}

// One calibration at a time: a second caller meanwhile keeps the figures it would have measured again.
std::atomic<bool> g_busy{false};

// With `while_recording`, only when recording is on, and the flag is left alone: switching it on for the
// calibration would record other threads' scopes meanwhile.
bool measure_into(Ends& ends, bool while_recording) noexcept {
  if (while_recording && !detail::g_scopes_enabled.load()) return false;
  if (g_busy.exchange(true, std::memory_order_acquire)) return false;
  double result[2] = {-1, -1};
  bool was_enabled = detail::g_scopes_enabled.exchange(true);
  with_private_tree(measure, result);
  if (!was_enabled) detail::g_scopes_enabled.store(false);
  bool measured = result[0] >= 0;
  if (measured) {
    ends.inner.store(result[0]);
    ends.outer.store(result[1]);
    ends.valid.store(true);
  }
  g_busy.store(false, std::memory_order_release);
  return measured;
}

}  // namespace

void calibrate() noexcept {
  if (measure_into(g_start, false)) g_end.valid.store(false);
}

void calibrate_start() noexcept {
  if (measure_into(g_start, true)) g_end.valid.store(false);
}

void calibrate_end() noexcept {
  if (g_start.valid.load()) measure_into(g_end, true);
}

Overhead overhead() noexcept {
  if (!g_start.valid.load()) return Overhead{};
  if (!g_end.valid.load()) return Overhead{g_start.inner.load(), g_start.outer.load(), true, 1};
  return Overhead{(g_start.inner.load() + g_end.inner.load()) / 2,
                  (g_start.outer.load() + g_end.outer.load()) / 2, true, 2};
}

void calibration_reset_in_child() noexcept {
  g_busy.store(false);
}

}  // namespace prof::scopes
