#include "instrument/function_sites.hpp"

#include <sys/mman.h>

#include <charconv>
#include <cstring>
#include <new>

namespace prof::instrument {

__attribute__((visibility("hidden"))) std::atomic<std::uintptr_t> g_sites_begin{0};
__attribute__((visibility("hidden"))) std::atomic<std::uintptr_t> g_sites_bytes{0};

namespace {

constexpr std::uint32_t kMaxSites = std::uint32_t{1} << 18;
// Twice the sites: probe chains stay short however full the site array gets.
constexpr std::uint32_t kSlots = kMaxSites * 2;
constexpr std::size_t kSitesBytes = sizeof(FunctionSite) * kMaxSites;
constexpr std::size_t kSlotsBytes = sizeof(std::uint32_t) * kSlots;

FunctionSite* g_sites = nullptr;
std::atomic<std::uint32_t>* g_slots = nullptr;  // site index plus one, 0: free
std::atomic<std::uint32_t> g_count{0};
std::atomic<bool> g_mapped{false};
std::atomic<bool> g_mapping{false};

// Reserved, not committed: only the pages a site or slot lands on become resident.
void* reserve(std::size_t bytes) noexcept {
  void* pages =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return pages == MAP_FAILED ? nullptr : pages;
}

bool map_tables() noexcept {
  if (g_mapped.load(std::memory_order_acquire)) return true;
  // One thread maps; another that comes meanwhile records nothing for this call (cold: the first calls only).
  if (g_mapping.exchange(true, std::memory_order_acq_rel)) return g_mapped.load(std::memory_order_acquire);
  void* sites = reserve(kSitesBytes);
  void* slots = reserve(kSlotsBytes);
  if (!sites || !slots) {
    if (sites) ::munmap(sites, kSitesBytes);
    if (slots) ::munmap(slots, kSlotsBytes);
    return false;  // g_mapping stays set: we do not try again
  }
  g_sites = static_cast<FunctionSite*>(sites);
  g_slots = static_cast<std::atomic<std::uint32_t>*>(slots);
  g_sites_begin.store(reinterpret_cast<std::uintptr_t>(sites), std::memory_order_relaxed);
  g_sites_bytes.store(kSitesBytes, std::memory_order_relaxed);
  g_mapped.store(true, std::memory_order_release);
  return true;
}

std::uint64_t hash(const void* function) noexcept {
  auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(function));
  key ^= key >> 33;
  key *= 0xFF51AFD7ED558CCDull;
  key ^= key >> 33;
  return key;
}

FunctionSite* new_site(const void* function) noexcept {
  std::uint32_t index = g_count.fetch_add(1, std::memory_order_relaxed);
  if (index >= kMaxSites) {
    g_count.store(kMaxSites, std::memory_order_relaxed);
    return nullptr;
  }
  auto* site = new (&g_sites[index]) FunctionSite();
  site->function = function;
  site->name[0] = '0';
  site->name[1] = 'x';
  auto digits = std::to_chars(site->name + 2, site->name + sizeof site->name - 1,
                              reinterpret_cast<std::uintptr_t>(function), 16);
  *digits.ptr = '\0';
  site->site.name = site->name;
  return site;
}

}  // namespace

FunctionSite* find_or_add_site(const void* function) noexcept {
  if (!map_tables()) return nullptr;
  for (std::uint64_t i = hash(function);; ++i) {
    std::atomic<std::uint32_t>& slot = g_slots[i % kSlots];
    std::uint32_t taken = slot.load(std::memory_order_acquire);
    if (taken == 0) {
      FunctionSite* site = new_site(function);
      if (!site) return nullptr;
      auto mine = static_cast<std::uint32_t>(site - g_sites) + 1;
      // Another thread (or a signal handler) may claim the slot first: then our site is never indexed nor
      // recorded (it has no table slot, so the snapshot skips it) and we look at theirs.
      if (slot.compare_exchange_strong(taken, mine, std::memory_order_acq_rel)) return site;
    }
    if (g_sites[taken - 1].function == function) return &g_sites[taken - 1];
  }
}

std::uint32_t function_site_count() noexcept {
  if (!g_mapped.load(std::memory_order_acquire)) return 0;
  std::uint32_t count = g_count.load(std::memory_order_acquire);
  return count < kMaxSites ? count : kMaxSites;
}

const FunctionSite& function_site_at(std::uint32_t index) noexcept {
  return g_sites[index];
}

}  // namespace prof::instrument
