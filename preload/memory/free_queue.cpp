#include "memory/free_queue.hpp"

#include <stdlib.h>
#include <atomic>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "memory/allocator.hpp"
#include "memory/books.hpp"
#include "memory/headers.hpp"
#include "memory/sites.hpp"
#include "memory/spin_lock.hpp"
#include "memory/tracer.hpp"

namespace prof::preload::memory::free_queue {

namespace detail {
bool g_on = false;
bool g_queueing = false;
unsigned g_probe_in = kProbeEvery;
std::atomic<unsigned> g_count{0};
}  // namespace detail

namespace {

using detail::g_count;

struct Entry {
  void* block = nullptr;  // nullptr: a free place
  void* base = nullptr;   // the real allocator's pointer, once a snapshot counted the free (count_all)
};

// The queued blocks are the `g_count` places before `g_next`, oldest first, round the ring.
Entry g_entries[kDepth];
unsigned g_next = 0;
// Set while the queue changes: a snapshot in a signal handler that interrupted it leaves it alone (its counts
// then lag by those frees, and the heap's peak is already right).
bool g_busy = false;
// Taken only while other threads may run (SharedGuard): while the process has one thread, it alone queues.
SpinLock g_lock;

void set_busy(bool busy) noexcept {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  g_busy = busy;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

// PROF_MEMORY_LATE_FREES=1: the queue works whatever the probes say.
bool g_forced = false;
// The probes' verdicts, +1 for a read that missed the caches, -1 for one that hit: the queue works while the
// score is above 0.
int g_score = 0;
constexpr int kScoreLimit = 4;
// TSC ticks above which a read of one word missed the caches: a read from memory takes 80-150 ns (200-400
// ticks at 2.6 GHz), one from the last-level cache 15-20 ns, the fences and clock reads around it 20-30 ns.
constexpr std::uint64_t kColdTicks = 200;

std::uint64_t header_read_ticks(const void* block) noexcept {
#if defined(__x86_64__)
  asm volatile("lfence" ::: "memory");
  const std::uint64_t start = __rdtsc();
  asm volatile("lfence" ::: "memory");
  std::uint64_t word;
  std::memcpy(&word, static_cast<const char*>(block) - 8, sizeof word);
  asm volatile("" : "+r"(word)::"memory");
  asm volatile("lfence" ::: "memory");
  return __rdtsc() - start;
#else
  (void)block;
  return 0;
#endif
}

// Reads the block's books, counts its free and gives it to the real allocator.
void release(const Entry& entry) noexcept {
  void* base = entry.base;
  if (!base) {
    headers::Books books = take_books(entry.block);
    if (books.kind != headers::Kind::kForeign && books.site != sites::kNoSite && enter()) {
      on_late_free(entry.block, books.size, books.site);
      leave();
    }
    base = headers::base_of(entry.block, books.kind);
  }
  allocator::detail::g_real.free(base);
}

}  // namespace

void configure(bool exact_mode) noexcept {
  const char* wanted = ::secure_getenv("PROF_MEMORY_LATE_FREES");
  const bool off = wanted && wanted[0] == '0' && wanted[1] == '\0';
  g_forced = wanted && wanted[0] == '1' && wanted[1] == '\0';
  detail::g_on = exact_mode && !off;
  detail::g_queueing = g_forced;
}

void probe(const void* block) noexcept {
  detail::g_probe_in = kProbeEvery;
  // (Under another allocator the word below a block at a page's start may lie on no page at all.)
  if (g_forced || (reinterpret_cast<std::uintptr_t>(block) & 4095) < 16) return;
  const std::uint64_t ticks = header_read_ticks(block);
  const bool missed = ticks > kColdTicks;
  if (missed && g_score < kScoreLimit) ++g_score;
  if (!missed && g_score > -kScoreLimit) --g_score;
  const bool queueing = g_score > 0;
  if (detail::g_queueing && !queueing) {
    detail::g_queueing = false;
    flush();  // no block waits while the queue stands aside
  }
  detail::g_queueing = queueing;
}

void push(void* block) noexcept {
  // The chunk's size (and a header) below the block; a small chunk's tail (headers.cpp, read_tail).
  __builtin_prefetch(static_cast<char*>(block) - 8);
  __builtin_prefetch(static_cast<char*>(block) + 16);
  __builtin_prefetch(static_cast<char*>(block) + 48);
  set_busy(true);
  Entry& place = g_entries[g_next];
  g_next = (g_next + 1) % kDepth;
  const Entry oldest = place;
  place = Entry{block, nullptr};
  if (!oldest.block) g_count.store(g_count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  set_busy(false);
  if (oldest.block) release(oldest);
}

void flush() noexcept {
  // Inside the tracer a free would be counted nowhere; an empty queue takes no lock (pthread_create and fork
  // ask in processes whose queue stays empty).
  if (memory::detail::tl_busy || !pending()) return;
  SharedGuard guard(g_lock);
  set_busy(true);
  for (unsigned count = g_count.load(std::memory_order_relaxed); count > 0; --count) {
    Entry& place = g_entries[(g_next + kDepth - count) % kDepth];
    const Entry entry = place;
    place = Entry{};
    g_count.store(count - 1, std::memory_order_relaxed);
    release(entry);
  }
  set_busy(false);
}

void reset_after_fork() noexcept {
  // The parent's queue was emptied before the fork; its lock may have been held by a thread the child lacks.
  for (Entry& entry : g_entries)
    entry = Entry{};
  g_count.store(0, std::memory_order_relaxed);
  g_busy = false;
  g_lock.unlock();
}

void count_all() noexcept {
  if (!pending() || g_busy) return;
  const bool locked = !alone();
  if (locked && !g_lock.try_lock()) return;  // a flush counts them meanwhile
  set_busy(true);
  sites::settle();  // blocks whose site was still to be found get it in their books
  for (Entry& entry : g_entries) {
    if (!entry.block || entry.base) continue;
    headers::Books books = headers::take(entry.block);
    if (books.kind != headers::Kind::kForeign && books.site < sites::count())
      on_late_free(entry.block, books.size, books.site);
    entry.base = headers::base_of(entry.block, books.kind);
  }
  set_busy(false);
  if (locked) g_lock.unlock();
}

}  // namespace prof::preload::memory::free_queue
