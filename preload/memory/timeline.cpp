#include "memory/timeline.hpp"

#include <atomic>

#include "core/clock.hpp"
#include "memory/sites.hpp"
#include "memory/spin_lock.hpp"

namespace prof::preload::memory::timeline {

namespace {

// ~1 ms at the first sample, whether ticks are TSC cycles (GHz) or nanoseconds.
constexpr std::uint64_t kFirstInterval = 1'000'000;

SpinLock g_lock;
Point g_points[kMaxPoints];
int g_count = 0;
std::uint64_t g_interval = kFirstInterval;
std::uint64_t g_start = 0;
std::atomic<std::uint64_t> g_next{0};

void append(std::uint64_t now, std::uint64_t live) noexcept {
  if (g_count == kMaxPoints) {
    for (int i = 0; i < kMaxPoints / 2; ++i)
      g_points[i] = g_points[2 * i];
    g_count = kMaxPoints / 2;
    g_interval *= 2;
  }
  g_points[g_count++] = Point{now, live};
  g_next.store(now + g_interval, std::memory_order_relaxed);
}

}  // namespace

void start(std::uint64_t now_ticks) noexcept {
  g_count = 0;
  g_interval = kFirstInterval;
  g_start = now_ticks;
  g_next.store(now_ticks, std::memory_order_relaxed);
}

namespace detail {

constinit thread_local unsigned tl_events __attribute__((tls_model("initial-exec"))) = 0;

void sample_now() noexcept {
  std::uint64_t now = core::clock::now_ticks();
  if (now < g_next.load(std::memory_order_relaxed)) return;
  SpinGuard guard(g_lock);
  if (now >= g_next.load(std::memory_order_relaxed)) append(now, sites::live_bytes());
}

}  // namespace detail

int copy(Point* out) noexcept {
  // No lock: this runs at exit and in signal handlers; a torn point is harmless.
  int n = g_count;
  for (int i = 0; i < n; ++i)
    out[i] = g_points[i];
  return n;
}

std::uint64_t start_ticks() noexcept {
  return g_start;
}

void lock() noexcept {
  g_lock.lock();
}
void unlock() noexcept {
  g_lock.unlock();
}

}  // namespace prof::preload::memory::timeline
