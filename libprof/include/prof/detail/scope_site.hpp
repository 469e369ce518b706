#pragma once
// The per-site descriptor each PROF_SCOPE / PROF_FUNCTION declares as a constant-initialised static: its
// address is the key of the site in every thread's call tree, so the hot path compares one pointer.

#include <atomic>
#include <cstdint>

namespace prof::detail {

struct ScopeSite {
  constexpr ScopeSite(const char* site_name, const char* site_file, int site_line) noexcept
      : name(site_name), file(site_file), line(site_line) {}
  ScopeSite(const ScopeSite&) = delete;
  ScopeSite& operator=(const ScopeSite&) = delete;

  const char* name;
  const char* file;
  int line;
  // Position in the snapshot's site table plus one; 0 until a thread first records the site (cold path).
  mutable std::atomic<std::uint32_t> table_slot{0};
};

}  // namespace prof::detail
