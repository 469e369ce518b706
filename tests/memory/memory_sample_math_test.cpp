// Issue 13, item 3: the sampled memory tracer's arithmetic (preload/memory/sample_math.hpp) over planted
// allocation events, in-process: a block of s bytes is sampled with probability 1 - exp(-s/T), and summing
// s / p(s) bytes and 1 / p(s) blocks per sample gives, for each site of at least 1000 x T bytes, an estimate
// within 10 % in at least 95 of 100 seeded runs, and a mean over the runs within 2 % (no bias).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "memory/sample_math.hpp"

namespace math = prof::preload::memory::sample_math;

namespace {

struct PlantedSite {
  const char* name;
  std::uint64_t count;
  std::uint64_t min_size, max_size;  // sizes drawn evenly from [min, max] by a fixed sequence
  // A count estimate's variance is the sum of (1 - p) / p over the blocks: with blocks of every size down to
  // a byte it is wide (a 1-byte sample stands for T blocks); such a site's count is checked for bias only.
  bool precise_count = true;
};

struct Totals {
  double bytes = 0, count = 0;
};

}  // namespace

TEST_CASE("sampler: a block of s bytes is sampled with probability 1 - exp(-s/T)", "[memory][sampled]") {
  const double interval = 4096;
  for (std::uint64_t size : {16u, 1024u, 4096u, 20000u}) {
    math::Countdown countdown{};
    math::seed(countdown, 42 + size, interval);
    const int blocks = 200000;
    int sampled = 0;
    for (int i = 0; i < blocks; ++i)
      sampled += math::take(countdown, size, interval) ? 1 : 0;
    const double expected = math::probability(static_cast<double>(size), interval);
    const double sd = std::sqrt(expected * (1 - expected) / blocks);
    INFO("size " << size << ": sampled " << sampled << " of " << blocks << ", expected p " << expected);
    CHECK(std::abs(static_cast<double>(sampled) / blocks - expected) < 5 * sd + 1e-9);
  }
}

TEST_CASE("sampler: a sample stands for s / p(s) bytes and 1 / p(s) blocks", "[memory][sampled]") {
  CHECK(math::byte_weight(100, 1000) == Approx(100 / (1 - std::exp(-0.1))));
  CHECK(math::count_weight(100, 1000) == Approx(1 / (1 - std::exp(-0.1))));
  // A block far above the interval is nearly always sampled and stands for itself.
  CHECK(math::byte_weight(1e9, 1000) == Approx(1e9));
  CHECK(math::count_weight(1e9, 1000) == Approx(1));
  // A tiny block stands for about T bytes, whatever its size.
  CHECK(math::byte_weight(1, 1 << 19) == Approx(524288.5).epsilon(1e-6));
  CHECK(math::probability(0, 4096) == 0);
}

TEST_CASE("sampler: estimates per site are within 10 % in 95 % of seeded runs, unbiased within 2 %",
          "[memory][sampled]") {
  const double interval = 16384;  // every site below holds more than 1000 x 16 KiB
  const std::vector<PlantedSite> sites = {
      {"small", 270000, 64, 64},         // 17.3 MB in blocks far below the interval
      {"medium", 10000, 2000, 2000},     // 20 MB
      {"large", 200, 100000, 100000},    // 20 MB in blocks far above it
      {"mixed", 2500, 1, 16384, false},  // 20.5 MB in sizes of every weight
  };
  // The truth, and the event stream: the sites' allocations interleaved as one thread makes them.
  std::vector<Totals> truth(sites.size());
  std::vector<std::pair<std::size_t, std::uint64_t>> events;
  std::uint32_t sequence = 7;
  std::vector<std::uint64_t> made(sites.size(), 0);
  for (bool more = true; more;) {
    more = false;
    for (std::size_t s = 0; s < sites.size(); ++s) {
      // Each round: a share of each site proportional to its count, so they interleave throughout.
      std::uint64_t share = sites[s].count / 100 + 1;
      for (std::uint64_t i = 0; i < share && made[s] < sites[s].count; ++i, ++made[s]) {
        sequence = sequence * 1103515245u + 12345u;
        std::uint64_t span = sites[s].max_size - sites[s].min_size + 1;
        std::uint64_t size = sites[s].min_size + (sequence >> 8) % span;
        events.emplace_back(s, size);
        truth[s].bytes += static_cast<double>(size);
        truth[s].count += 1;
      }
      more = more || made[s] < sites[s].count;
    }
  }
  for (std::size_t s = 0; s < sites.size(); ++s)
    REQUIRE(truth[s].bytes >= 1000 * interval);

  const int runs = 100;
  std::vector<int> bytes_within(sites.size(), 0), count_within(sites.size(), 0);
  std::vector<Totals> sum(sites.size());
  for (int run = 0; run < runs; ++run) {
    math::Countdown countdown{};
    math::seed(countdown, 1000 + static_cast<std::uint64_t>(run), interval);
    std::vector<Totals> estimate(sites.size());
    for (const auto& [s, size] : events) {
      if (!math::take(countdown, size, interval)) continue;
      estimate[s].bytes += math::byte_weight(static_cast<double>(size), interval);
      estimate[s].count += math::count_weight(static_cast<double>(size), interval);
    }
    for (std::size_t s = 0; s < sites.size(); ++s) {
      bytes_within[s] += std::abs(estimate[s].bytes / truth[s].bytes - 1) <= 0.10 ? 1 : 0;
      count_within[s] += std::abs(estimate[s].count / truth[s].count - 1) <= 0.10 ? 1 : 0;
      sum[s].bytes += estimate[s].bytes;
      sum[s].count += estimate[s].count;
    }
  }
  for (std::size_t s = 0; s < sites.size(); ++s) {
    INFO("site " << sites[s].name);
    CHECK(bytes_within[s] >= 95);
    if (sites[s].precise_count) CHECK(count_within[s] >= 95);
    CHECK(std::abs(sum[s].bytes / runs / truth[s].bytes - 1) <= 0.02);
    CHECK(std::abs(sum[s].count / runs / truth[s].count - 1) <= 0.02);
  }
}
