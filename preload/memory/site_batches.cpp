#include "memory/site_batches.hpp"

#include <atomic>

#include "memory/spin_lock.hpp"

namespace prof::preload::memory::site_batches {

namespace {

constexpr int kThreads = 1024;
constexpr int kPerThread = 4;

// Written by its thread alone, read by a snapshot's writer: relaxed atomics (plain moves on x86-64).
struct Batch {
  std::uint32_t site;
  std::uint32_t events;
  sites::Changes changes;
};

struct alignas(64) Set {
  Batch batches[kPerThread];
  std::uint32_t next;  // the batch to take over when none has the site
};

Set g_sets[kThreads];
std::atomic<bool> g_taken[kThreads];
std::atomic<std::uint32_t> g_hint{0};
thread_local Set* tl_set __attribute__((tls_model("initial-exec"))) = nullptr;
thread_local bool tl_without __attribute__((tls_model("initial-exec"))) = false;  // ended, or no room

template <typename T>
T get(const T& field) noexcept {
  return __atomic_load_n(&field, __ATOMIC_RELAXED);
}
template <typename T>
void put(T& field, T value) noexcept {
  __atomic_store_n(&field, value, __ATOMIC_RELAXED);
}

void clear(Batch& b) noexcept {
  put(b.changes.allocations, std::uint64_t{0});
  put(b.changes.allocated_bytes, std::uint64_t{0});
  put(b.changes.live_blocks, std::uint64_t{0});
  put(b.changes.live_bytes, std::uint64_t{0});
  put(b.changes.temporary, std::uint64_t{0});
  put(b.events, 0u);
  put(b.site, sites::kNoSite);
}

// False when the site's lock was taken and `wait` is false: the batch stays.
bool flush(Batch& b, bool wait) noexcept {
  if (b.site == sites::kNoSite) return true;
  if (!sites::apply(b.site, b.changes, wait)) return false;
  clear(b);
  return true;
}

Set* claim() noexcept {
  const std::uint32_t start = g_hint.fetch_add(1, std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < kThreads; ++i) {
    const std::uint32_t at = (start + i) % kThreads;
    bool expected = false;
    if (g_taken[at].load(std::memory_order_relaxed) ||
        !g_taken[at].compare_exchange_strong(expected, true, std::memory_order_acq_rel))
      continue;
    for (Batch& b : g_sets[at].batches)
      clear(b);
    return &g_sets[at];
  }
  return nullptr;
}

}  // namespace

bool on() noexcept {
  if (tl_set) return !alone();
  if (tl_without || alone()) return false;
  tl_set = claim();
  tl_without = !tl_set;
  return tl_set != nullptr;
}

void add(std::uint32_t site, const sites::Changes& changes) noexcept {
  Set& set = *tl_set;
  Batch* batch = nullptr;
  for (Batch& b : set.batches)
    if (b.site == site) batch = &b;
  if (!batch) {
    batch = &set.batches[set.next++ % kPerThread];
    flush(*batch, true);
    put(batch->site, site);
  }
  sites::Changes& c = batch->changes;
  put(c.allocations, c.allocations + changes.allocations);
  put(c.allocated_bytes, c.allocated_bytes + changes.allocated_bytes);
  put(c.live_blocks, c.live_blocks + changes.live_blocks);
  put(c.live_bytes, c.live_bytes + changes.live_bytes);
  put(c.temporary, c.temporary + changes.temporary);
  put(batch->events, batch->events + 1);
  const auto net = static_cast<std::int64_t>(c.live_bytes);
  if (batch->events >= kEvents || net >= kLiveBytes || net <= -kLiveBytes) flush(*batch, true);
}

void end_thread() noexcept {
  tl_without = true;
  Set* set = tl_set;
  if (!set) return;
  tl_set = nullptr;
  for (Batch& b : set->batches)
    flush(b, true);
  g_taken[set - g_sets].store(false, std::memory_order_release);
}

void flush_current_thread() noexcept {
  if (!tl_set) return;
  for (Batch& b : tl_set->batches)
    flush(b, false);
}

bool pending() noexcept {
  for (int i = 0; i < kThreads; ++i) {
    if (!g_taken[i].load(std::memory_order_acquire) || &g_sets[i] == tl_set) continue;
    for (const Batch& b : g_sets[i].batches)
      if (get(b.site) != sites::kNoSite) return true;
  }
  return false;
}

void gather(sites::Changes* out, std::uint32_t sites) noexcept {
  for (int i = 0; i < kThreads; ++i) {
    if (!g_taken[i].load(std::memory_order_acquire) || &g_sets[i] == tl_set) continue;
    for (const Batch& b : g_sets[i].batches) {
      const std::uint32_t site = get(b.site);
      if (site >= sites) continue;
      sites::Changes& into = out[site];
      into.allocations += get(b.changes.allocations);
      into.allocated_bytes += get(b.changes.allocated_bytes);
      into.live_blocks += get(b.changes.live_blocks);
      into.live_bytes += get(b.changes.live_bytes);
      into.temporary += get(b.changes.temporary);
    }
  }
}

void reset() noexcept {
  for (int i = 0; i < kThreads; ++i) {
    if (!g_taken[i].load(std::memory_order_relaxed)) continue;
    for (Batch& b : g_sets[i].batches)
      clear(b);
    g_taken[i].store(false, std::memory_order_relaxed);
  }
  tl_set = nullptr;
  tl_without = false;
}

}  // namespace prof::preload::memory::site_batches
