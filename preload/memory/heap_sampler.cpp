#include "memory/heap_sampler.hpp"

#include <stdlib.h>
#include <time.h>
#include <atomic>
#include <cmath>

#include "memory/pages.hpp"
#include "settings.hpp"
#include "warning.hpp"

namespace prof::preload::memory::heap_sampler {

namespace detail {
std::uint64_t g_interval = 0;
extern "C" {
__thread sample_math::Countdown prof_sample_countdown __attribute__((tls_model("initial-exec"))) = {0, 0};
}
}  // namespace detail

namespace {

using detail::g_interval;
using detail::prof_sample_countdown;

// Sites are 18 bits (sites.cpp): the estimates are a parallel array, reserved whole, backed as sites appear.
constexpr std::uint32_t kMaxSites = 1u << 18;
constexpr std::uint64_t kMaxInterval = std::uint64_t{1} << 40;  // 1 TiB: the largest block a header books
// Counts in fixed point: a sample of s bytes stands for 1/p(s) blocks, anywhere from 1 to T/s.
constexpr int kFractionBits = 16;
constexpr double kOne = 1 << kFractionBits;

struct Entry {
  std::uint64_t allocations;
  std::uint64_t live;
  std::uint64_t temporary;
};

Entry* g_entries = nullptr;
std::atomic<std::uint64_t> g_touched_pages{0};
double g_interval_bytes = 0;
std::uint64_t g_seed = 0;  // 0: a different seed each run
std::atomic<std::uint64_t> g_threads{0};
// The thread's countdown just after its last sampled block: unchanged means nothing was allocated since.
thread_local std::uint64_t tl_mark __attribute__((tls_model("initial-exec"))) = 0;

// "512K", "1M", "524288", "2GiB": bytes in binary multiples; 0 when the text is not that.
std::uint64_t parse_bytes(const char* text) noexcept {
  std::uint64_t value = 0;
  const char* c = text;
  for (; *c >= '0' && *c <= '9'; ++c) {
    value = value * 10 + static_cast<std::uint64_t>(*c - '0');
    if (value > kMaxInterval) return kMaxInterval + 1;
  }
  if (c == text) return 0;
  int shift = 0;
  switch (*c | 0x20) {
    case 'k':
      shift = 10;
      break;
    case 'm':
      shift = 20;
      break;
    case 'g':
      shift = 30;
      break;
    case 't':
      shift = 40;
      break;
    default:
      break;
  }
  if (shift) {
    ++c;
    if (*c == 'i') ++c;
    if ((*c | 0x20) == 'b') ++c;
  } else if ((*c | 0x20) == 'b') {
    ++c;
  }
  if (*c) return 0;
  if (value > (kMaxInterval >> shift)) return kMaxInterval + 1;
  return value << shift;
}

std::uint64_t read_interval() noexcept {
  const char* text = ::secure_getenv("PROF_MEMORY_SAMPLE");
  if (!text || !*text || (text[0] == '0' && text[1] == '\0')) return 0;
  std::uint64_t bytes = parse_bytes(text);
  if (bytes == 0) {
    warning::bad_setting("PROF_MEMORY_SAMPLE", text, "a size in bytes (524288, 512K, 1M)",
                         "the default, 512K");
    return kDefaultInterval;
  }
  if (bytes > kMaxInterval) {
    warning::bad_setting("PROF_MEMORY_SAMPLE", text, "a size up to 1T", "1T");
    return kMaxInterval;
  }
  return bytes;
}

std::uint64_t thread_seed() noexcept {
  std::uint64_t ordinal = g_threads.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t state = g_seed ? g_seed + ordinal * 0xD1B54A32D192ED03ull : 0;
  if (!g_seed) {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    state = static_cast<std::uint64_t>(now.tv_nsec) ^ (static_cast<std::uint64_t>(now.tv_sec) << 32) ^
            reinterpret_cast<std::uintptr_t>(&prof_sample_countdown) ^ (ordinal << 48);
  }
  sample_math::next_random(state);
  return state;
}

void touch(std::uint32_t site) noexcept {
  std::uint64_t pages_needed = (std::uint64_t{site + 1} * sizeof(Entry) + 4095) / 4096;
  std::uint64_t seen = g_touched_pages.load(std::memory_order_relaxed);
  while (seen < pages_needed) {
    if (g_touched_pages.compare_exchange_weak(seen, pages_needed, std::memory_order_relaxed)) {
      pages::note_touched(static_cast<std::int64_t>((pages_needed - seen) * 4096));
      return;
    }
  }
}

std::uint64_t fixed_count(std::uint64_t size) noexcept {
  if (size == 0) return static_cast<std::uint64_t>(kOne);
  return static_cast<std::uint64_t>(
      std::llround(sample_math::count_weight(static_cast<double>(size), g_interval_bytes) * kOne));
}

std::uint64_t whole(std::uint64_t fixed) noexcept {
  return (fixed + (std::uint64_t{1} << (kFractionBits - 1))) >> kFractionBits;
}

Entry* entry(std::uint32_t site) noexcept {
  return g_entries && site < kMaxSites ? &g_entries[site] : nullptr;
}

}  // namespace

namespace detail {

bool reached(std::uint64_t size) noexcept {
  if (prof_sample_countdown.left == 0) {  // the thread's first allocation in sampled mode
    sample_math::seed(prof_sample_countdown, thread_seed(), g_interval_bytes);
    if (size < prof_sample_countdown.left) {
      prof_sample_countdown.left -= size;
      return false;
    }
  }
  prof_sample_countdown.left = sample_math::draw_countdown(prof_sample_countdown.random, g_interval_bytes);
  return true;
}

}  // namespace detail

void configure() noexcept {
  std::uint64_t bytes = read_interval();
  if (bytes == 0) return;
  g_entries = static_cast<Entry*>(pages::reserve_large(sizeof(Entry) * kMaxSites));
  if (!g_entries) return;  // no room for the estimates: exact mode
  long seed =
      settings::whole_number("PROF_MEMORY_SAMPLE_SEED", 0x7FFFFFFFFFFFFFFFL, 0, "a new seed each run");
  g_seed = static_cast<std::uint64_t>(seed);
  g_interval_bytes = static_cast<double>(bytes);
  g_interval = bytes;
}

std::uint64_t interval() noexcept {
  return g_interval;
}

namespace detail {

std::uint64_t weighted_bytes(std::uint64_t size) noexcept {
  if (size == 0) return 0;
  return static_cast<std::uint64_t>(
      std::llround(sample_math::byte_weight(static_cast<double>(size), g_interval_bytes)));
}

void count_sample(std::uint32_t site, std::uint64_t size) noexcept {
  tl_mark = prof_sample_countdown.left;
  Entry* e = entry(site);
  if (!e) return;
  touch(site);
  std::uint64_t count = fixed_count(size);
  __atomic_fetch_add(&e->allocations, count, __ATOMIC_RELAXED);
  __atomic_fetch_add(&e->live, count, __ATOMIC_RELAXED);
}

bool unchanged_since_sample() noexcept {
  return prof_sample_countdown.left == tl_mark;
}

void count_free(std::uint32_t site, std::uint64_t size, bool temporary) noexcept {
  Entry* e = entry(site);
  if (!e) return;
  std::uint64_t count = fixed_count(size);
  __atomic_fetch_sub(&e->live, count, __ATOMIC_RELAXED);
  if (temporary) __atomic_fetch_add(&e->temporary, count, __ATOMIC_RELAXED);
}

}  // namespace detail

void on_sample_restored(std::uint32_t site, std::uint64_t size) noexcept {
  Entry* e = g_interval ? entry(site) : nullptr;
  if (e) __atomic_fetch_add(&e->live, fixed_count(size), __ATOMIC_RELAXED);
}

Estimates estimates(std::uint32_t site) noexcept {
  const Entry* e = entry(site);
  if (!e) return {};
  return Estimates{whole(__atomic_load_n(&e->allocations, __ATOMIC_RELAXED)),
                   whole(__atomic_load_n(&e->live, __ATOMIC_RELAXED)),
                   whole(__atomic_load_n(&e->temporary, __ATOMIC_RELAXED))};
}

void after_fork() noexcept {
  if (g_interval == 0) return;
  std::uint64_t touched = g_touched_pages.exchange(0, std::memory_order_relaxed);
  pages::discard(g_entries, sizeof(Entry) * kMaxSites);
  pages::note_touched(-static_cast<std::int64_t>(touched * 4096));
  prof_sample_countdown.left = 0;  // draws afresh (with a seed: as the next thread would)
  tl_mark = 0;
}

}  // namespace prof::preload::memory::heap_sampler
