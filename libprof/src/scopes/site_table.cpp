#include "scopes/site_table.hpp"

#include <atomic>

#include "scopes/page_memory.hpp"
#include "scopes/spin_lock.hpp"

namespace prof::scopes {

namespace {

constexpr std::uint32_t kSitesPerChunk = 4096;
constexpr std::uint32_t kMaxChunks = 256;

// Chunks are never moved or freed, so a reader holding a slot below the published count needs no lock.
const detail::ScopeSite** g_chunks[kMaxChunks];
std::atomic<std::uint32_t> g_count{0};
SpinLock g_lock;

}  // namespace

bool register_site(const detail::ScopeSite& site) noexcept {
  if (site.table_slot.load(std::memory_order_acquire) != 0) return true;
  g_lock.lock();
  bool ok = true;
  if (site.table_slot.load(std::memory_order_relaxed) == 0) {
    std::uint32_t slot = g_count.load(std::memory_order_relaxed);
    std::uint32_t chunk = slot / kSitesPerChunk;
    if (chunk >= kMaxChunks) {
      ok = false;
    } else {
      if (!g_chunks[chunk])
        g_chunks[chunk] = static_cast<const detail::ScopeSite**>(map_pages(kSitesPerChunk * sizeof(void*)));
      if (!g_chunks[chunk]) {
        ok = false;
      } else {
        g_chunks[chunk][slot % kSitesPerChunk] = &site;
        site.table_slot.store(slot + 1, std::memory_order_release);
        g_count.store(slot + 1, std::memory_order_release);
      }
    }
  }
  g_lock.unlock();
  return ok;
}

std::uint32_t site_count() noexcept {
  return g_count.load(std::memory_order_acquire);
}

const detail::ScopeSite& site_at(std::uint32_t slot) noexcept {
  return *g_chunks[slot / kSitesPerChunk][slot % kSitesPerChunk];
}

void reset_site_table_in_child() noexcept {
  g_lock.reset_in_child();
}

}  // namespace prof::scopes
