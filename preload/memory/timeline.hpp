#pragma once
// The process's live heap over time, at most 1000 points: when full, every other point goes and the
// sampling interval doubles, so a run of any length keeps an even coverage.

#include <cstdint>

namespace prof::preload::memory::timeline {

constexpr int kMaxPoints = 1000;

struct Point {
  std::uint64_t ticks;
  std::uint64_t live_bytes;
};

void start(std::uint64_t now_ticks) noexcept;
// Cheap enough to call on every event: counts, and reads the clock only every 64th call of a thread, which
// then adds the live heap (sites.hpp) as a point when the interval has passed.
namespace detail {
extern constinit thread_local unsigned tl_events __attribute__((tls_model("initial-exec")));
void sample_now() noexcept;
}  // namespace detail
inline void maybe_sample() noexcept {
  if ((++detail::tl_events & 63) == 1) detail::sample_now();
}

// Copies the points (up to kMaxPoints) and returns how many.
int copy(Point* out) noexcept;
std::uint64_t start_ticks() noexcept;

void lock() noexcept;
void unlock() noexcept;

}  // namespace prof::preload::memory::timeline
