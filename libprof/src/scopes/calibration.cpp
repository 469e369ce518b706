#include "scopes/calibration.hpp"

#include <algorithm>
#include <atomic>

#include <prof/detail/scope_guard.hpp>

#include "scopes/thread_registry.hpp"

namespace prof::scopes {

namespace {

constexpr int kRounds = 31;
constexpr int kChildren = kCalibrationChildren;

// The cost measured when the counts began (start-up or the last reset) and, once a snapshot has been asked
// for, when they were last written: a snapshot compensates with the mean of both, the two ends of the period
// its counts come from. One measurement taken at start-up alone was off by up to 10 % on a VM whose speed
// changes under the neighbours' load (docs/PERFORMANCE.md, "Overhead compensation"). The hooks' figures have
// their own validity: a program records its first function after start-up's calibration.
struct Figures {
  std::atomic<double> inner{0}, outer{0};
  std::atomic<bool> valid{false};
};
struct Ends {
  Figures scopes, functions;
};
Ends g_start, g_end;

std::atomic<FunctionCalibration> g_function_calibration{nullptr};

constinit detail::ScopeSite g_parent_site("prof: calibration parent", __FILE__, __LINE__);
constinit detail::ScopeSite g_child_site("prof: calibration child", __FILE__, __LINE__);

detail::ScopeNode* node_of(ThreadTree& tree, const void* site) noexcept {
  for (std::uint32_t i = 1; i < tree.published_nodes(); ++i)
    if (tree.node(i)->site == site) return tree.node(i);
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

struct Measured {
  double scopes[2] = {-1, -1};
  double functions[2] = {-1, -1};
};

void measure(ThreadTree& tree, void* context) noexcept {
  auto* out = static_cast<Measured*>(context);
  measure_scope_pair(tree, &g_parent_site, &g_child_site, parent_with_children, parent_alone, out->scopes);
  if (FunctionCalibration functions = g_function_calibration.load(std::memory_order_acquire))
    functions(tree, out->functions);
}

void store(Figures& figures, const double measured[2]) noexcept {
  if (measured[0] < 0) return;
  figures.inner.store(measured[0]);
  figures.outer.store(measured[1]);
  figures.valid.store(true);
}

// One calibration at a time: a second caller meanwhile keeps the figures it would have measured again.
std::atomic<bool> g_busy{false};

// With `while_recording`, only when recording is on, and the flag is left alone: switching it on for the
// calibration would record other threads' scopes meanwhile.
bool measure_into(Ends& ends, bool while_recording) noexcept {
  if (while_recording && !detail::g_scopes_enabled.load()) return false;
  if (g_busy.exchange(true, std::memory_order_acquire)) return false;
  Measured measured;
  bool was_enabled = detail::g_scopes_enabled.exchange(true);
  with_private_tree(measure, &measured);
  if (!was_enabled) detail::g_scopes_enabled.store(false);
  store(ends.scopes, measured.scopes);
  store(ends.functions, measured.functions);
  g_busy.store(false, std::memory_order_release);
  return measured.scopes[0] >= 0;
}

// The mean of both ends when both were measured, else the one that was.
int combine(const Figures& start, const Figures& end, double& inner, double& outer) noexcept {
  bool has_start = start.valid.load(), has_end = end.valid.load();
  if (has_start && has_end) {
    inner = (start.inner.load() + end.inner.load()) / 2;
    outer = (start.outer.load() + end.outer.load()) / 2;
    return 2;
  }
  const Figures* one = has_start ? &start : has_end ? &end : nullptr;
  if (!one) return 0;
  inner = one->inner.load();
  outer = one->outer.load();
  return 1;
}

}  // namespace

void measure_scope_pair(ThreadTree& tree, const void* parent_site, const void* child_site,
                        void (*with_children)(), void (*alone)(), double out[2]) noexcept {
  double inner[kRounds], outer[kRounds];
  // Warm-up: creates the nodes and brings the code into the caches.
  with_children();
  alone();
  detail::ScopeNode* parent = node_of(tree, parent_site);
  detail::ScopeNode* child = node_of(tree, child_site);
  if (!parent || !child) return;
  auto ticks = [](detail::ScopeNode* node) { return node->ticks.load(std::memory_order_relaxed); };
  for (int round = 0; round < kRounds; ++round) {
    std::uint64_t parent_before = ticks(parent), child_before = ticks(child);
    with_children();
    auto with = static_cast<double>(ticks(parent) - parent_before);
    auto children = static_cast<double>(ticks(child) - child_before);
    parent_before = ticks(parent);
    alone();
    auto without = static_cast<double>(ticks(parent) - parent_before);
    inner[round] = children / kChildren;
    outer[round] = (with - without - children) / kChildren;
  }
  std::nth_element(inner, inner + kRounds / 2, inner + kRounds);
  std::nth_element(outer, outer + kRounds / 2, outer + kRounds);
  out[0] = std::max(0.0, inner[kRounds / 2]);
  out[1] = std::max(0.0, outer[kRounds / 2]);
}

void set_function_calibration(FunctionCalibration measure) noexcept {
  g_function_calibration.store(measure, std::memory_order_release);
}

void calibrate() noexcept {
  if (measure_into(g_start, false)) {
    g_end.scopes.valid.store(false);
    g_end.functions.valid.store(false);
  }
}

void calibrate_start() noexcept {
  if (measure_into(g_start, true)) {
    g_end.scopes.valid.store(false);
    g_end.functions.valid.store(false);
  }
}

void calibrate_end() noexcept {
  if (g_start.scopes.valid.load()) measure_into(g_end, true);
}

Overhead overhead() noexcept {
  Overhead result;
  if (!g_start.scopes.valid.load()) return result;
  result.calibrated = true;
  result.measurements = combine(g_start.scopes, g_end.scopes, result.inner_ticks, result.outer_ticks);
  result.function_measurements =
      combine(g_start.functions, g_end.functions, result.function_inner_ticks, result.function_outer_ticks);
  return result;
}

void calibration_reset_in_child() noexcept {
  g_busy.store(false);
}

}  // namespace prof::scopes
