// Small crafted inputs whose cost must stay near-linear in their size (issue 11, item 18): the work done is
// counted, never timed.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "merge/memory_merge.hpp"
#include "report/memory/memory_section.hpp"
#include "timeit/statistics.hpp"

using namespace prof::viewer;

namespace {

// One stack of depth `depth` (frames 0..depth-1, each its own line) named by `sites` sites.
Snapshot one_deep_stack(std::uint32_t depth, std::size_t sites) {
  Snapshot snapshot;
  snapshot.strings = {"", "f", "a.c"};
  for (std::uint32_t i = 0; i < depth; ++i) {
    snapshot.frames.push_back({1, 2, static_cast<std::int64_t>(i + 1), -1, 0, false});
    snapshot.stacks.add_frame(i);
  }
  snapshot.stacks.end_stack();
  snapshot.memory.emplace();
  for (std::size_t s = 0; s < sites; ++s)
    snapshot.memory->sites.push_back({0, 1, 16, 16, 0, 0, 0});
  return snapshot;
}

}  // namespace

TEST_CASE("one deep stack shared by as many sites is walked once, with and without --tree") {
  // Before: each site walked the whole stack (40 000 x 40 000 frames; with --tree a chain of 40 000 strings
  // per site).
  constexpr std::uint32_t kDepth = 40000;
  auto snapshot = one_deep_stack(kDepth, kDepth);
  for (auto by : {MemoryKey::line, MemoryKey::traceback})
    for (bool tree : {false, true}) {
      MemoryMerge merged({.by = by, .tree = tree});
      merged.add(snapshot);
      CHECK(merged.stacks_walked() == 1);
      REQUIRE(merged.groups().size() == 1);
      const auto& group = merged.groups()[0];
      CHECK(group.counts.allocations == kDepth);
      CHECK(group.counts.allocated_bytes == 16 * std::int64_t{kDepth});
      CHECK(group.callers.size() == (tree ? 1u : 0u));
      if (tree && by == MemoryKey::line) CHECK(group.callers.begin()->first.size() == kDepth - 1);
    }
}

TEST_CASE(
    "the memory call tree of one deep stack has rows of bounded width, the depth written past a few levels") {
  // Before: each row was indented by 2 x its depth (40 000 levels: 1.6 GB of spaces; a 160 KB file reached
  // 509 MB), and the tree was walked by recursion as deep as the stack.
  constexpr std::uint32_t kDepth = 40000;
  auto snapshot = one_deep_stack(kDepth, 3);
  MemoryReportOptions options{.tree = true};
  MemoryMerge merged(options);
  merged.add(snapshot);
  auto section = memory_section(merged, options);
  const Table* tree = nullptr;
  for (const auto& table : section.tables)
    if (table.key == "tree") tree = &table;
  REQUIRE(tree != nullptr);
  REQUIRE(tree->rows.size() == kDepth - 1);
  std::size_t widest = 0;
  for (const auto& row : tree->rows)
    widest = std::max(widest, row.back().text.size());
  CHECK(widest < 60);
  CHECK(tree->rows.back().back().text.find("[39998] f a.c:40000") != std::string::npos);
  CHECK(tree->rows[1].back().text == "  f a.c:3");
}

TEST_CASE("sites on different stacks keep their own groups, summed as before") {
  Snapshot snapshot = one_deep_stack(3, 2);
  snapshot.stacks.add_frame(1);
  snapshot.stacks.end_stack();
  snapshot.memory->sites.push_back({1, 5, 50, 50, 1, 10, 0});
  snapshot.memory->sites.push_back({0, 1, 16, 16, 0, 0, 0});
  MemoryMerge merged({});
  merged.add(snapshot);
  CHECK(merged.stacks_walked() == 2);
  REQUIRE(merged.groups().size() == 2);
  CHECK(merged.groups()[0].key == "a.c:1");  // the first site's group first
  CHECK(merged.groups()[0].counts.allocations == 3);
  CHECK(merged.groups()[1].key == "a.c:2");
  CHECK(merged.groups()[1].counts.leaked_bytes == 10);
}

TEST_CASE("the median's interval rank is the binomial one, and computed for 200 000 samples") {
  namespace stats = prof::stats;
  // The definition, term by term: the largest k with 2 P(X <= k - 1) <= alpha (k >= 1).
  for (std::size_t n = 1; n <= 200; ++n) {
    std::size_t k = 1;
    while (k + 1 <= (n + 1) / 2 && 2.0 * stats::binomial_cdf(k, n, 0.5) <= 0.05)
      ++k;
    INFO("n = " << n);
    CHECK(stats::median_interval_rank(n, 0.95) == k);
  }
  // Before, quadratic: 200 000 samples took 20 s. The normal approximation says n/2 - 1.96 sqrt(n)/2.
  const double n = 200000;
  const double approximation = n / 2 - 1.959964 * std::sqrt(n) / 2;
  CHECK(std::fabs(static_cast<double>(stats::median_interval_rank(200000, 0.95)) - approximation) < 3);
}
