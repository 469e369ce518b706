#include "timeit/measure.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace prof::timeit_internal {

namespace {

// Below this fraction of the target a probe is too short to predict the loop count from.
constexpr double kPredictableFraction = 0.01;
// Aim slightly past the target so the predicted run is not just short of it.
constexpr double kOvershoot = 1.1;
constexpr std::uint64_t kMaxGrowth = 100;
constexpr std::uint64_t kOverheadLoops = 1 << 20;
constexpr int kOverheadRepeats = 5;

}  // namespace

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::uint64_t autorange(const detail::Loop& loop, double min_seconds, const std::function<void()>& setup,
                        double* last_elapsed) {
  std::uint64_t loops = 1;
  for (;;) {
    if (setup) setup();
    double elapsed = loop.run(loop.callable, loops);
    if (elapsed >= min_seconds) {
      if (last_elapsed) *last_elapsed = elapsed;
      return loops;
    }
    std::uint64_t next = loops * 10;
    if (elapsed >= min_seconds * kPredictableFraction) {
      double predicted = std::ceil(static_cast<double>(loops) * min_seconds / elapsed * kOvershoot);
      next = static_cast<std::uint64_t>(std::min(predicted, static_cast<double>(loops * kMaxGrowth)));
    }
    loops = std::max(next, loops + 1);
  }
}

double loop_overhead_per_call() {
  auto empty = [] {};
  detail::Loop loop = detail::make_loop(empty);
  double best = std::numeric_limits<double>::infinity();
  // The minimum: interruptions only ever add time to an empty loop.
  for (int i = 0; i < kOverheadRepeats; ++i)
    best = std::min(best, loop.run(loop.callable, kOverheadLoops));
  return best / static_cast<double>(kOverheadLoops);
}

double clock_granularity() {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 100; ++i) {
    auto first = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::now();
    while (next == first)
      next = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(next - first).count());
  }
  return best;
}

double per_call(double elapsed, std::uint64_t loops, double overhead_per_call) {
  double n = static_cast<double>(loops);
  return std::max(0.0, (elapsed - overhead_per_call * n) / n);
}

}  // namespace prof::timeit_internal
