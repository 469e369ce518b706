#include <algorithm>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "merge/memory_merge.hpp"
#include "merge/run_totals.hpp"
#include "merge/scope_tree.hpp"
#include "read/snapshot_reader.hpp"

using namespace prof::viewer;
using prof::test::fixture;

namespace {

std::vector<Snapshot> both_solvers() {
  return load_snapshots({fixture("solver.1001.prof.json"), fixture("solver.1002.prof.json")});
}

const FlatScope& scope(const std::vector<FlatScope>& rows, const std::string& name) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const FlatScope& r) { return r.name == name; });
  REQUIRE(it != rows.end());
  return *it;
}

}  // namespace

TEST_CASE("run totals sum CPU over processes and take the largest wall and RSS") {
  auto totals = run_totals(both_solvers());
  CHECK(totals.processes == 2);
  CHECK(totals.user_seconds == 4.25);
  CHECK(totals.system_seconds == 0.75);
  CHECK(totals.wall_seconds == 3.0);
  CHECK(totals.max_rss_bytes == 3145728);
}

TEST_CASE("scopes are merged by name, file and line over threads and processes") {
  auto rows = merge_scopes(both_solvers());
  REQUIRE(rows.size() == 3);
  // solve: 1 call on thread 1 + 3 on thread 2 of pid 1001, 2 calls in pid 1002.
  CHECK(scope(rows, "solve").calls == 6);
  CHECK(scope(rows, "solve").self_ns == 1250000000);
  CHECK(scope(rows, "solve").total_ns == 1250000000);
  // assemble recurses into itself: its inner node's time is already in the outer total.
  CHECK(scope(rows, "assemble").calls == 15);
  CHECK(scope(rows, "assemble").self_ns == 1200000000);
  CHECK(scope(rows, "assemble").total_ns == 1200000000);
  CHECK(scope(rows, "main").total_ns == 2000000000);
}

TEST_CASE("memory is merged over processes; the same line in two processes sums") {
  auto one = read_snapshot_file(fixture("solver.1001.prof.json"));
  MemoryMerge merged({.by = MemoryKey::function, .keep_system_frames = true});
  merged.add(one);
  merged.add(one);
  CHECK(merged.processes() == 2);
  CHECK(merged.summary().allocations == 24);
  CHECK(merged.summary().leaked_bytes == 1024);
  REQUIRE(merged.groups().size() == 3);
  const auto& matrix = *std::find_if(merged.groups().begin(), merged.groups().end(),
                                     [](const MemoryGroup& g) { return g.key == "allocate_matrix"; });
  CHECK(matrix.counts.allocations == 20);
  CHECK(matrix.counts.peak_bytes == 8192);
  CHECK(std::any_of(merged.groups().begin(), merged.groups().end(), [](const MemoryGroup& g) {
    return g.key == "[solver]";
  }));  // not symbolised yet: one row per module

  MemoryMerge different({});
  for (const auto& snapshot : both_solvers())
    different.add(snapshot);
  CHECK(different.summary().allocations == 16);
}
