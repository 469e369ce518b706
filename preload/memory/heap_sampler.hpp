#pragma once
// The sampled mode of the memory tracer (PROF_MEMORY_SAMPLE=BYTES, `prof run --mem-sample`), for runs where
// tracing every allocation costs too much: allocations are sampled with a probability proportional to their
// size (a Poisson process over allocated bytes, sample_math.hpp), only sampled blocks get a header, a stack
// and books, and each sample is counted for what it stands for, so the snapshot's figures are unbiased
// estimates. A block the sampler leaves out goes to the real allocator untouched: its free finds no header
// tag and an empty side-table shard, and goes straight back (headers.hpp).
//
// The sites table (sites.hpp) counts bytes as estimated bytes (a sample's byte weight, rounded), so the live
// heap, the peak, each site's share of it, leaks and the timeline are estimates with no change there; counts
// (allocations, leaks, temporaries) are kept here, per site, in fixed point, since a sample stands for a
// fraction of blocks.

#include <cstddef>
#include <cstdint>

#include "memory/sample_math.hpp"

namespace prof::preload::memory::heap_sampler {

namespace detail {
extern std::uint64_t g_interval;  // 0: exact mode
// __thread, not thread_local: an extern thread_local is read through a wrapper call in case another file
// initialises it dynamically; this is read on every allocation.
// C linkage: the malloc trampoline (hooks.cpp) counts it down by name.
extern "C" {
extern __thread sample_math::Countdown prof_sample_countdown __attribute__((tls_model("initial-exec")));
}
// Out of line: a thread's first draw (its countdown is 0 until then), and each sample.
bool reached(std::uint64_t size) noexcept;
std::uint64_t weighted_bytes(std::uint64_t size) noexcept;
void count_sample(std::uint32_t site, std::uint64_t size) noexcept;
bool unchanged_since_sample() noexcept;
void count_free(std::uint32_t site, std::uint64_t size, bool temporary) noexcept;
}  // namespace detail

constexpr std::uint64_t kDefaultInterval = 512 * 1024;

// Reads PROF_MEMORY_SAMPLE (bytes, with an optional K/M/G suffix; unset, empty or 0: exact mode) and
// PROF_MEMORY_SAMPLE_SEED (a whole number: each thread's draws repeat from run to run, for tests). A bad
// value is said once on stderr. Called once by the tracer's start, before it is active.
void configure() noexcept;
inline bool on() noexcept {
  return detail::g_interval != 0;
}
std::uint64_t interval() noexcept;

// skip()'s common case alone, without a call: true when the allocation is left out and the countdown goes on;
// false when skip() must decide (exact mode, or the countdown reached), which then counts nothing twice.
// The same, for a caller that knows the sampled mode is on (the entry word's kSampled).
inline bool within_countdown(std::size_t size) noexcept {
  sample_math::Countdown& countdown = detail::prof_sample_countdown;
  if (size >= countdown.left) return false;
  countdown.left -= size;
  return true;
}
inline bool skip_within_countdown(std::size_t size) noexcept {
  return detail::g_interval != 0 && within_countdown(size);
}
// The hooks ask before they call the real allocator: true when, in sampled mode, an allocation of `size`
// bytes is left out (it goes to the real allocator as it is). False in exact mode, and for a sampled block.
inline bool skip(std::size_t size) noexcept {
  if (skip_within_countdown(size)) return true;
  return detail::g_interval != 0 && !detail::reached(size);
}

// The bytes a block of `size` bytes is booked with in the sites table: `size` in exact mode, the sample's
// byte weight in sampled mode.
inline std::uint64_t booked_bytes(std::uint64_t size) noexcept {
  return on() ? detail::weighted_bytes(size) : size;
}

// A sampled block was charged to `site` (the tracer calls it for each block it books; nothing in exact mode).
// Also marks the thread's countdown, so that a free before the thread's next allocation is a temporary.
inline void on_sampled(std::uint32_t site, std::uint64_t size) noexcept {
  if (on()) detail::count_sample(site, size);
}
// Whether this thread allocated nothing since its last sampled block (always true in exact mode: the tracer
// sees every allocation and keeps track itself).
inline bool nothing_since_sample() noexcept {
  return !on() || detail::unchanged_since_sample();
}
inline void on_sample_freed(std::uint32_t site, std::uint64_t size, bool temporary) noexcept {
  if (on()) detail::count_free(site, size, temporary);
}
// A realloc that failed: the block is live again.
void on_sample_restored(std::uint32_t site, std::uint64_t size) noexcept;

// A site's estimated counts, rounded to whole blocks.
struct Estimates {
  std::uint64_t allocations = 0;
  std::uint64_t live_allocations = 0;
  std::uint64_t temporary_allocations = 0;
};
Estimates estimates(std::uint32_t site) noexcept;

// The fork child: the estimates start empty, like the sites; the thread draws afresh.
void after_fork() noexcept;

}  // namespace prof::preload::memory::heap_sampler
