#pragma once
// The RAII guard behind PROF_SCOPE and PROF_FUNCTION, inline so the hot path is: one flag test, one TLS load,
// two pointer compares (site, thread), two clock reads and a few plain stores. Everything else (first scope
// of a thread, new call path, depth limit) is in libprof's enter_slow(). no_instrument_function: in a
// program built with -finstrument-functions (prof_instrument) the guard is not a function of its own.

#include <atomic>
#include <cstdint>

#include <prof/detail/scope_node.hpp>
#include <prof/detail/scope_site.hpp>

namespace prof::detail {

// Recording on or off (prof::enable, PROF_SCOPES=0); false until libprof has started.
extern std::atomic<bool> g_scopes_enabled;
// The clock is the invariant TSC (set once at start-up, before the program's threads exist).
extern bool g_clock_is_tsc;
// The node of the innermost open scope of this thread (a sentinel before the thread's first scope).
extern thread_local constinit ScopeNode* t_current_scope __attribute__((tls_model("initial-exec")));

// The calling thread, read anew at each call: a coroutine may end a scope on another thread than began it,
// and a compiler may keep a thread-local's address across a suspension point, so the check cannot rely on
// one.
__attribute__((no_instrument_function)) inline const void* current_thread_pointer() noexcept {
#if defined(__x86_64__)
  const void* pointer;
  asm volatile("mov %%fs:0, %0" : "=r"(pointer));
  return pointer;
#else
  return __builtin_thread_pointer();
#endif
}

// Ends a scope on another thread than the one it began on (a coroutine resumed elsewhere): counts the call
// into its node with atomic additions and leaves both threads' current scopes alone.
void exit_elsewhere(ScopeNode& node, std::uint64_t ticks) noexcept;

// Finds or creates the child of the current node for `site`; may replace t_current_scope (first scope of a
// thread). Never returns null.
__attribute__((returns_nonnull)) ScopeNode* enter_slow(const ScopeSite& site) noexcept;
// The clock when it is not the TSC (CLOCK_MONOTONIC in nanoseconds).
std::uint64_t read_clock_slow() noexcept;

__attribute__((no_instrument_function)) inline std::uint64_t read_clock() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_expect(g_clock_is_tsc, 1)) return __builtin_ia32_rdtsc();
#endif
  return read_clock_slow();
}

class ScopeGuard {
 public:
  __attribute__((no_instrument_function)) explicit ScopeGuard(const ScopeSite& site) noexcept {
    if (!g_scopes_enabled.load(std::memory_order_relaxed)) [[unlikely]] {
      node_ = nullptr;
      return;
    }
    ScopeNode* node = t_current_scope->last_child;
    if (node->site != &site) [[unlikely]]
      node = enter_slow(site);
    previous_ = t_current_scope;
    node_ = node;
    thread_ = current_thread_pointer();
    t_current_scope = node;
    start_ = read_clock();
    node->open_since.store(start_, std::memory_order_relaxed);
  }

  __attribute__((no_instrument_function)) ~ScopeGuard() {
    if (!node_) [[unlikely]]
      return;
    std::uint64_t end = read_clock();
    // A fork since the entry moved the node's mark to the fork (in the child); a reentry of the same path
    // from a signal handler cleared it (0): the later of the two is when this call began here.
    std::uint64_t since = node_->open_since.load(std::memory_order_relaxed);
    std::uint64_t start = since > start_ ? since : start_;
    node_->open_since.store(0, std::memory_order_relaxed);
    if (current_thread_pointer() != thread_) [[unlikely]] {
      exit_elsewhere(*node_, end - start);
      return;
    }
    node_->calls.store(node_->calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    node_->ticks.store(node_->ticks.load(std::memory_order_relaxed) + (end - start),
                       std::memory_order_relaxed);
    t_current_scope = previous_;
  }

  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  ScopeNode* node_;
  ScopeNode* previous_ = nullptr;
  const void* thread_ = nullptr;  // the thread it began on
  std::uint64_t start_ = 0;
};

}  // namespace prof::detail
