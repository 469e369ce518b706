#pragma once
// The scope sites of instrumented functions (-finstrument-functions), keyed by the function's address: one
// ScopeSite per function, created at its first recorded call, so a function is a scope like any PROF_SCOPE
// and nests with them in the same tree. The process never looks a name up: the site's name is the address in
// hex until the viewer symbolises it from the `functions` section (docs/SNAPSHOT.md).
//
// Lock-free and allocation-free: the sites live in one reserved mapping (dense, in creation order) indexed by
// an open-addressing table of slots, both mapped at the first call; a slot is claimed with one compare-and-
// swap, so a signal handler that interrupts an insertion can insert too.

#include <atomic>
#include <cstdint>

#include <prof/detail/scope_site.hpp>

namespace prof::instrument {

struct FunctionSite {
  detail::ScopeSite site{"", "", 0};  // first member: a node's site pointer is this site's address
  const void* function = nullptr;     // the function's entry address, as the compiler's hook passes it
  char name[24] = {};                 // "0x..." until the viewer names it
};

// The reserved mapping of sites, and its length in bytes (0 until the first call): a site pointer in that
// range is a FunctionSite, any other one a PROF_SCOPE site that must not be read.
// Hidden: the hooks read them on every call, and a hidden variable needs no GOT load.
extern std::atomic<std::uintptr_t> g_sites_begin __attribute__((visibility("hidden")));
extern std::atomic<std::uintptr_t> g_sites_bytes __attribute__((visibility("hidden")));

// The site of `function`, created if needed; null when the table is full (about 260 000 functions) or the
// system refuses the memory.
FunctionSite* find_or_add_site(const void* function) noexcept;

// Whether `site` (any node's site, maybe of an unloaded plugin) is an instrumented function's.
inline bool is_function_site(const detail::ScopeSite* site) noexcept {
  std::uintptr_t offset =
      reinterpret_cast<std::uintptr_t>(site) - g_sites_begin.load(std::memory_order_relaxed);
  return offset < g_sites_bytes.load(std::memory_order_relaxed);
}

// Whether `site` (any node's site, maybe of an unloaded plugin: compared, never read unless it is ours) is
// the site of `function`.
inline bool is_site_of(const detail::ScopeSite* site, const void* function) noexcept {
  std::uintptr_t offset =
      reinterpret_cast<std::uintptr_t>(site) - g_sites_begin.load(std::memory_order_relaxed);
  if (offset >= g_sites_bytes.load(std::memory_order_relaxed)) return false;
  return reinterpret_cast<const FunctionSite*>(site)->function == function;
}

// Sites created so far (some never recorded: those have no table slot); each below is readable.
std::uint32_t function_site_count() noexcept;
const FunctionSite& function_site_at(std::uint32_t index) noexcept;

}  // namespace prof::instrument
