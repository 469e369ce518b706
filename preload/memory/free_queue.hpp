#pragma once
// Frees read a few frees late. A free reads the block's books (headers.hpp) beside the block. In a program
// that frees blocks it has not touched for a while, without reading them first (a C program freeing an array
// of buffers), each such read is a miss to memory, and the tracer's work after it keeps the processor from
// starting the next free's miss meanwhile (glibc's own short free overlaps them). While the process has one
// thread, in exact mode, such a free only prefetches its block's lines and joins a queue; the block queued
// kDepth frees earlier, its lines loaded by now, is read, counted and given to the real allocator.
//
// Most programs read a block before they free it (a destructor, a list walk), and the queue would only cost
// them its instructions. So one free in kProbeEvery times the read of its block's chunk header: the queue
// works while those reads miss the caches, and stands aside (emptied) while they hit.
//
// What the program sees is unchanged: a queued block is one it freed and may not touch again, and the real
// allocator gets it back kDepth frees later at most (a block of its own mapping, which munmap would give back
// to the system, is freed at once). The books stay exact:
// - an allocation that may raise the peak while frees wait (live + its size > peak, with the queued blocks
//   still counted live) first empties the queue (before_allocation);
// - the first free after a new peak, which starts the peak's epoch (sites.hpp), is not queued;
// - a block near the thread's latest allocation is not queued (its lines are likely in the cache): this takes
//   in the block freed before the next allocation, which is counted as a temporary one;
// - a snapshot counts the queued frees first (count_all); a fork, or a second thread's start, empties the
//   queue.
// PROF_MEMORY_LATE_FREES=0 turns the queue off, =1 keeps it on without probing (for measurements and for the
// tests of both paths).

#include <atomic>
#include <cstdint>

#include "memory/sites.hpp"
#include "memory/spin_lock.hpp"
#include "memory/tracer.hpp"

namespace prof::preload::memory::free_queue {

constexpr unsigned kDepth = 8;
constexpr unsigned kProbeEvery = 64;
// Blocks within this distance of the latest allocation are freed at once.
constexpr std::uintptr_t kNear = 64 << 10;

// Reads PROF_MEMORY_LATE_FREES once the tracer knows its mode.
void configure(bool exact_mode) noexcept;

namespace detail {
extern bool g_on;
extern bool g_queueing;
extern unsigned g_probe_in;
extern std::atomic<unsigned> g_count;
}  // namespace detail

inline bool pending() noexcept {
  return detail::g_count.load(std::memory_order_relaxed) != 0;
}

// Times the read of `block`'s chunk header and decides whether the queue works.
void probe(const void* block) noexcept;
// Queues `block`, its lines prefetched, and reads, counts and frees the block queued kDepth frees ago.
void push(void* block) noexcept;

// Takes the free of `block` into the queue, or says no (false): the caller then reads, counts and frees it
// now. Not inside the tracer (its own frees are not counted), not a block near the latest allocation, not
// right after a new peak, not a block of its own mapping (glibc's are the only blocks 16 bytes past a page
// boundary).
inline bool offer(void* block) noexcept {
  const std::uintptr_t from_recent =
      reinterpret_cast<std::uintptr_t>(block) - reinterpret_cast<std::uintptr_t>(memory::detail::tl_recent);
  if (!detail::g_on || from_recent + kNear < 2 * kNear || !alone() || memory::detail::tl_busy ||
      sites::peak_open() || (reinterpret_cast<std::uintptr_t>(block) & 4095) == 16)
    return false;
  if (--detail::g_probe_in == 0) {
    probe(block);
    return false;
  }
  if (!detail::g_queueing) return false;
  push(block);
  return true;
}

// Reads, counts and frees every queued block.
void flush() noexcept;
// Before an allocation of `size` bytes is counted: empties the queue when it could change what the allocation
// does to the peak, or when other threads run now.
inline void before_allocation(std::uint64_t size) noexcept {
  if (alone() && sites::live_bytes() + size <= sites::peak_bytes()) return;
  flush();
}
// The fork child: an empty queue, its lock free.
void reset_after_fork() noexcept;
// A snapshot (perhaps in a signal handler): counts every queued free now, and leaves the blocks queued for
// the next flush to give back (no call into the allocator).
void count_all() noexcept;

}  // namespace prof::preload::memory::free_queue
