#pragma once
// The process-wide table of sites that have been recorded, in the order they were first seen: a site's
// position is its row in the snapshot's `sites` table. Each row holds a copy of the site's name, file and
// line, so a site whose plugin has been unloaded (dlclose) is still written with its figures. Grows on the
// cold path only; readers never lock.

#include <cstdint>

#include <prof/detail/scope_site.hpp>

namespace prof::scopes {

// What the snapshot writes of a site: the profiler's own copies.
struct SiteRecord {
  const char* name;
  const char* file;
  int line;
  bool function;  // an instrumented function's, recorded by the hooks (compensated by their own cost)
};

// Set by the instrument hooks before they register their first site: tells their sites from PROF_SCOPE's.
using FunctionSiteTest = bool (*)(const detail::ScopeSite* site);
void set_function_site_test(FunctionSiteTest test) noexcept;

// Gives `site` its slot if it has none yet, copying its strings. Returns the slot plus one, or 0 when the
// table or the memory for the copies is exhausted (about a million sites).
std::uint32_t register_site(const detail::ScopeSite& site) noexcept;

// Sites registered so far; every slot below is readable.
std::uint32_t site_count() noexcept;
const SiteRecord& site_at(std::uint32_t slot) noexcept;

// Fork child: the lock may have been held by a thread that does not exist there.
void reset_site_table_in_child() noexcept;

}  // namespace prof::scopes
