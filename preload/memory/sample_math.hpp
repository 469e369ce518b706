#pragma once
// The arithmetic of the sampled memory tracer (heap_sampler.hpp), free of any state of the shim so that a
// unit test can run it over planted events: a small PRNG, the bytes to the next sample, and what a sample
// stands for.
//
// Sampling is a Poisson process over allocated bytes with mean interval T, as in tcmalloc's and heapprofd's
// heap profilers: each thread counts down the bytes to its next sample point, drawn from an exponential
// distribution of mean T; an allocation of s bytes that reaches the point is sampled. By memorylessness a
// block of s bytes is sampled with probability p(s) = 1 - exp(-s/T), whatever came before, so a sampled block
// stands for s / p(s) bytes and 1 / p(s) blocks: the sums of these over the samples are unbiased estimates.

#include <cmath>
#include <cstdint>

namespace prof::preload::memory::sample_math {

// splitmix64: 8 bytes of state, a multiply-xorshift per draw; plenty for choosing sample points.
inline std::uint64_t next_random(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Bytes to the next sample point: the ceiling of an exponential draw of mean `interval`, at least 1. With a
// whole-byte countdown c, a block of s bytes reaches the point when c <= s, i.e. with probability
// P(E <= s) = 1 - exp(-s/T) exactly.
inline std::uint64_t draw_countdown(std::uint64_t& state, double interval) noexcept {
  double uniform = static_cast<double>((next_random(state) >> 11) + 1) * 0x1.0p-53;  // in (0, 1]
  double bytes = std::ceil(-std::log(uniform) * interval);
  if (!(bytes < 9.0e18)) return 9000000000000000000ull;
  return bytes < 1 ? 1 : static_cast<std::uint64_t>(bytes);
}

// The probability that a block of `size` bytes is sampled.
inline double probability(double size, double interval) noexcept {
  return -std::expm1(-size / interval);
}

// What one sampled block of `size` bytes stands for.
inline double byte_weight(double size, double interval) noexcept {
  return size / probability(size, interval);
}
inline double count_weight(double size, double interval) noexcept {
  return 1.0 / probability(size, interval);
}

// A thread's countdown: bytes to its next sample point and its PRNG state.
// Plain data: it lives in `__thread` storage (no initialisation wrapper on the hot path).
struct Countdown {
  std::uint64_t left;
  std::uint64_t random;
};

// A thread's first countdown, from its seed.
inline void seed(Countdown& countdown, std::uint64_t seed, double interval) noexcept {
  countdown.random = seed;
  countdown.left = draw_countdown(countdown.random, interval);
}

// Whether the next allocation of `size` bytes is sampled; the countdown moves on. After a sample the next
// point is a fresh draw (memoryless: the same process as carrying the remainder over).
inline bool take(Countdown& countdown, std::uint64_t size, double interval) noexcept {
  if (size < countdown.left) {
    countdown.left -= size;
    return false;
  }
  countdown.left = draw_countdown(countdown.random, interval);
  return true;
}

}  // namespace prof::preload::memory::sample_math
