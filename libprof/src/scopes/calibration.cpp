#include "scopes/calibration.hpp"

#include <algorithm>
#include <atomic>

#include <prof/detail/scope_guard.hpp>

#include "scopes/thread_registry.hpp"

namespace prof::scopes {

namespace {

constexpr int kRounds = 31;
constexpr int kChildren = 256;

std::atomic<double> g_inner{0};
std::atomic<double> g_outer{0};
std::atomic<bool> g_calibrated{false};

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

}  // namespace

void calibrate() noexcept {
  double result[2] = {-1, -1};
  bool was_enabled = detail::g_scopes_enabled.exchange(true);
  with_private_tree(measure, result);
  detail::g_scopes_enabled.store(was_enabled);
  if (result[0] < 0) return;
  g_inner.store(result[0]);
  g_outer.store(result[1]);
  g_calibrated.store(true);
}

Overhead overhead() noexcept {
  return Overhead{g_inner.load(), g_outer.load(), g_calibrated.load()};
}

}  // namespace prof::scopes
