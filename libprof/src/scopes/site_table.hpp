#pragma once
// The process-wide table of sites that have been recorded, in the order they were first seen: a site's
// position is its row in the snapshot's `sites` table. Grows on the cold path only; readers never lock.

#include <cstdint>

#include <prof/detail/scope_site.hpp>

namespace prof::scopes {

// Gives `site` its slot if it has none yet. Returns false when the table is full (about a million sites).
bool register_site(const detail::ScopeSite& site) noexcept;

// Sites registered so far; every slot below is readable.
std::uint32_t site_count() noexcept;
const detail::ScopeSite& site_at(std::uint32_t slot) noexcept;

// Fork child: the lock may have been held by a thread that does not exist there.
void reset_site_table_in_child() noexcept;

}  // namespace prof::scopes
