// The hooks gcc and clang call at the entry and exit of every function compiled with -finstrument-functions
// (cmake: prof_instrument): each call becomes a scope of the deterministic scope profiler, keyed by the
// function's address, in the same per-thread tree as PROF_SCOPE blocks.
//
// A PROF_SCOPE guard remembers on its stack the node to return to; a hook has nowhere to keep it, so the exit
// hook returns to the node's parent and takes the call's start from the node's open-call mark. Entries that
// are not recorded (recording off, below max_depth's "(deeper)", table full) leave the current node alone and
// count in a per-thread number the matching exits take back. An exit that finds another function's node (a
// longjmp, or an exception clang's exit hooks did not see) closes the nodes it skipped, up to its own.
//
// The hooks and everything they call are compiled without -finstrument-functions (libprof never is), and are
// marked no_instrument_function in case a project compiles everything with the flag.

#include <prof/detail/scope_guard.hpp>

#include "core/snapshot_writer.hpp"
#include "instrument/function_sites.hpp"
#include "instrument/functions_section.hpp"
#include "instrument/hook_calibration.hpp"
#include "scopes/hot_state.hpp"
#include "scopes/thread_tree.hpp"

#define PROF_NO_INSTRUMENT __attribute__((no_instrument_function))

namespace prof::instrument {

namespace {

// Entries of this thread that were not recorded and whose exits have not come yet.
thread_local constinit unsigned long t_unrecorded __attribute__((tls_model("initial-exec"))) = 0;
// The function that entered the "(deeper)" node this thread is in, if a hook did: below that node nothing is
// recorded, so there is at most one.
thread_local constinit const void* t_deeper_function __attribute__((tls_model("initial-exec"))) = nullptr;

std::atomic<bool> g_section_registered{false};

PROF_NO_INSTRUMENT void register_section_once() noexcept {
  if (g_section_registered.load(std::memory_order_relaxed)) return;
  if (g_section_registered.exchange(true, std::memory_order_acq_rel)) return;
  // After `scopes` and `strings` (libprof registers them at start-up, before any recorded call): the section
  // names rows of the sites table that the scopes section wrote.
  core::register_section("functions", write_functions_section, nullptr);
  install_hook_calibration();
}

PROF_NO_INSTRUMENT inline void close_call(detail::ScopeNode* node, std::uint64_t end) noexcept {
  // The entry's mark, or the fork's in a child; 0 when a signal handler reentered the same path and closed
  // it: the call counts, with no time.
  std::uint64_t since = node->open_since.load(std::memory_order_relaxed);
  node->open_since.store(0, std::memory_order_relaxed);
  node->calls.store(node->calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  if (since != 0 && end > since)
    node->ticks.store(node->ticks.load(std::memory_order_relaxed) + (end - since), std::memory_order_relaxed);
}

// First call of `function` under the current node (or first call of any recorded function): finds or makes
// its site and node, and enters it; a call that is not recorded is counted for its exit. A tail call from the
// hook, which then needs no stack frame of its own.
PROF_NO_INSTRUMENT __attribute__((noinline)) void enter_slow(void* function) noexcept {
  FunctionSite* site = find_or_add_site(function);
  detail::ScopeNode* node = nullptr;
  if (site) {
    register_section_once();
    node = detail::enter_slow(site->site);
  }
  if (!node || node == &scopes::g_sink_node) {
    ++t_unrecorded;
    return;
  }
  if (node->flags & scopes::kDeeperNode) t_deeper_function = function;
  detail::t_current_scope = node;
  node->open_since.store(detail::read_clock(), std::memory_order_relaxed);
}

PROF_NO_INSTRUMENT __attribute__((noinline)) void exit_slow(void* function) noexcept {
  using detail::t_current_scope;
  if (t_unrecorded > 0) {
    --t_unrecorded;
    return;
  }
  detail::ScopeNode* current = t_current_scope;
  std::uint64_t end = detail::read_clock();
  // The "(deeper)" node this function entered below max_depth: everything under it was not recorded. (Another
  // function's: its exit was skipped, as below.)
  if ((current->flags & scopes::kDeeperNode) && function == t_deeper_function) {
    close_call(current, end);
    t_current_scope = current->parent;
    return;
  }
  // Exits skipped by a longjmp or an exception: close the function nodes up to ours. A PROF_SCOPE node on
  // the way belongs to a guard still alive on the stack, so the search stops there.
  for (detail::ScopeNode* node = current; node->parent && !(node->flags & scopes::kRootNode);
       node = node->parent) {
    if (is_site_of(node->site, function)) {
      for (detail::ScopeNode* skipped = current; skipped != node; skipped = skipped->parent)
        close_call(skipped, end);
      close_call(node, end);
      t_current_scope = node->parent;
      return;
    }
    if (!is_function_site(node->site) && !(node->flags & scopes::kDeeperNode)) return;
  }
  // An exit whose entry came before recording started, or before this thread's tree: nothing to close.
}

}  // namespace

}  // namespace prof::instrument

extern "C" {

PROF_NO_INSTRUMENT __attribute__((visibility("default"))) void __cyg_profile_func_enter(void* function,
                                                                                        void*) noexcept {
  using namespace prof;
  using detail::t_current_scope;
  if (!detail::g_scopes_enabled.load(std::memory_order_relaxed)) [[unlikely]] {
    ++instrument::t_unrecorded;
    return;
  }
  detail::ScopeNode* node = t_current_scope->last_child;
  if (!instrument::is_site_of(node->site, function)) [[unlikely]] {
    instrument::enter_slow(function);
    return;
  }
  t_current_scope = node;
  node->open_since.store(detail::read_clock(), std::memory_order_relaxed);
}

PROF_NO_INSTRUMENT __attribute__((visibility("default"))) void __cyg_profile_func_exit(void* function,
                                                                                       void*) noexcept {
  using namespace prof;
  detail::ScopeNode* node = detail::t_current_scope;
  if (!instrument::is_site_of(node->site, function)) [[unlikely]] {
    instrument::exit_slow(function);
    return;
  }
  instrument::close_call(node, detail::read_clock());
  detail::t_current_scope = node->parent;
}

}  // extern "C"
