#include "memory/stack_cache.hpp"

#include <pthread.h>
#include <atomic>

#include "memory/frame_rules.hpp"
#include "memory/pages.hpp"
#include "memory/sites.hpp"

namespace prof::preload::memory::stack_cache {

namespace {

constexpr int kEntries = 32;
constexpr int kMaxFrames = 64;  // deeper stacks are always unwound in full
constexpr int kRules = 256;

struct Entry {
  std::uintptr_t return_address;
  std::uintptr_t cfa;
  std::uint32_t entry;
  std::uint32_t site;  // kNoSite: empty
  std::uint32_t depth;
  // slots[j]: where frame j + 1's return address is stored, as an offset from the caller's CFA.
  std::uint32_t slots[kMaxFrames - 1];
};

struct RuleSlot {
  std::uintptr_t return_address;  // 0: empty
  frame_rules::Rule rule;
};

// A thread's entries and rules (13 KiB): mapped on the thread's first remember(), not static TLS, which glibc
// carves out of every thread's stack (a PTHREAD_STACK_MIN thread would not even start). The hot path costs
// one TLS load and a null check.
struct Cache {
  Entry entries[kEntries];
  RuleSlot rules[kRules];
  bool used;
  // The invalidate_all() generation this thread's entries and rules were made in.
  std::uint32_t generation;
};

thread_local Cache* tl_cache __attribute__((tls_model("initial-exec"))) = nullptr;
// Set once this thread's cache was released at its exit: destructors running later must not map another.
thread_local bool tl_released __attribute__((tls_model("initial-exec"))) = false;
std::atomic<std::uint32_t> g_generation{0};
pthread_key_t g_exit_key;
bool g_exit_key_made = false;

// Thread exit (pthread key destructor): the cache goes back to the kernel. A thread that ends without
// destructors (a raw clone, _exit) leaves its pages mapped: a leak, never a use after unmap.
void release_at_exit(void* cache) noexcept {
  tl_released = true;
  if (tl_cache == cache) tl_cache = nullptr;
  pages::unmap(cache, sizeof(Cache));
}

// This thread's cache, mapped on first use; nullptr when the kernel refuses or the thread is exiting.
Cache* cache_of_thread() noexcept {
  if (tl_cache || tl_released) return tl_cache;
  auto* cache = static_cast<Cache*>(pages::map(sizeof(Cache)));
  if (!cache) return nullptr;
  cache->generation = g_generation.load(std::memory_order_relaxed);
  // Without the key nobody unmaps it at exit: kept (leaked) rather than lost while still in use.
  if (g_exit_key_made) pthread_setspecific(g_exit_key, cache);
  tl_cache = cache;
  return cache;
}

// True (after forgetting everything) when this thread's caches predate the last invalidate_all().
bool stale(Cache& cache) noexcept {
  std::uint32_t now = g_generation.load(std::memory_order_relaxed);
  if (cache.generation == now) return false;
  cache.generation = now;
  cache.used = false;
  for (RuleSlot& slot : cache.rules)
    slot.return_address = 0;
  return true;
}

std::uint64_t mix(const Caller& caller) noexcept {
  std::uint64_t h = (caller.return_address ^ (caller.cfa << 17) ^ caller.entry) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}

Entry& slot_of(Cache& cache, const Caller& caller) noexcept {
  return cache.entries[mix(caller) % kEntries];
}

frame_rules::Rule rule_of(Cache& cache, std::uintptr_t return_address) noexcept {
  RuleSlot& slot = cache.rules[(return_address * 0x9E3779B97F4A7C15ull) >> 56];
  if (slot.return_address != return_address) {
    slot.rule = frame_rules::at_return_address(return_address);
    slot.return_address = return_address;
  }
  return slot.rule;
}

}  // namespace

std::uint32_t find(const Caller& caller) noexcept {
  Cache* cache = tl_cache;
  if (!cache || !cache->used || stale(*cache)) return sites::kNoSite;
  const Entry& e = slot_of(*cache, caller);
  if (e.site == sites::kNoSite || e.return_address != caller.return_address || e.cfa != caller.cfa ||
      e.entry != caller.entry || e.site >= sites::count())
    return sites::kNoSite;
  const std::uintptr_t* frames = sites::frames(sites::site(e.site));
  // Inner frames first, stopping at the first difference: a slot is only read once the slot below it named
  // the same frame, so every read is one the full unwind of the current stack would make as well.
  for (std::uint32_t j = 1; j < e.depth; ++j) {
    auto stored = *reinterpret_cast<const std::uintptr_t*>(caller.cfa + e.slots[j - 1]);
    if (stored != frames[j]) return sites::kNoSite;
  }
  return e.site;
}

void remember(const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth,
              bool cut) noexcept {
  if (depth < 1 || depth > kMaxFrames || frames[0] != caller.return_address) return;
  Cache* cache = cache_of_thread();
  if (!cache) return;
  stale(*cache);
  if (!cache->used) {
    for (Entry& e : cache->entries)
      e.site = sites::kNoSite;
    cache->used = true;
  }
  Entry& e = slot_of(*cache, caller);
  e.site = sites::kNoSite;
  std::uintptr_t stack_pointer = caller.cfa;
  for (int j = 0; j < depth; ++j) {
    frame_rules::Rule rule = rule_of(*cache, frames[j]);
    bool last = j + 1 == depth;
    if (last && (cut || rule.kind == frame_rules::Kind::kOutermost)) break;
    if (rule.kind != frame_rules::Kind::kStackPointer || last) return;
    std::uintptr_t cfa = stack_pointer + static_cast<std::uintptr_t>(rule.cfa_offset);
    std::uintptr_t offset = cfa - 8 - caller.cfa;
    // The walk from this caller must read exactly what the full unwind found, or the entry would be wrong.
    if (offset > 0xFFFFFFFFu || *reinterpret_cast<const std::uintptr_t*>(cfa - 8) != frames[j + 1]) return;
    e.slots[j] = static_cast<std::uint32_t>(offset);
    stack_pointer = cfa;
  }
  e.return_address = caller.return_address;
  e.cfa = caller.cfa;
  e.entry = caller.entry;
  e.depth = static_cast<std::uint32_t>(depth);
  e.site = site;
}

void init() noexcept {
  if (!g_exit_key_made) g_exit_key_made = pthread_key_create(&g_exit_key, release_at_exit) == 0;
}

void clear() noexcept {
  if (tl_cache) tl_cache->used = false;
}

void invalidate_all() noexcept {
  g_generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::stack_cache
