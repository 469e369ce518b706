// The scope model and its merges, on the planted fixtures of tests/viewer/data/scopes (values listed there):
// process 2001 has a main thread (main > fib 1/1 > fib 2/0 > fib 22/0, main > work > (deeper)) and an ended
// worker thread (work > io); process 2002 (no raw columns, no overhead, exit unknown) has main > work >
// ns::Solver::step, with its strings in another order.
#include <algorithm>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "error.hpp"
#include "fixtures.hpp"
#include "merge/scope_tree.hpp"
#include "read/snapshot_reader.hpp"

using namespace prof::viewer;
using prof::test::fixture;

namespace {

std::vector<Snapshot> both_apps() {
  return load_snapshots({fixture("scopes/app.2001.prof.json"), fixture("scopes/app.2002.prof.json")});
}

const FlatScope& row(const std::vector<FlatScope>& rows, const std::string& name) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const FlatScope& r) { return r.name == name; });
  REQUIRE(it != rows.end());
  return *it;
}

}  // namespace

TEST_CASE("the scopes reader keeps overhead, depth limit, threads and raw times") {
  auto s = read_snapshot_file(fixture("scopes/app.2001.prof.json"));
  REQUIRE(s.scopes);
  REQUIRE(s.scopes->overhead);
  CHECK(s.scopes->overhead->inner_ns == 10);
  CHECK(s.scopes->overhead->outer_ns == 20);
  CHECK(s.scopes->overhead->calibrated);
  CHECK(s.scopes->max_depth == 3);
  REQUIRE(s.scopes->threads.size() == 2);
  const auto& worker = s.scopes->threads[1];
  CHECK(worker.id == 1);
  CHECK(worker.tid == 2002);
  CHECK(worker.name == "worker");
  CHECK(worker.ended);
  CHECK_FALSE(s.scopes->threads[0].ended);
  const auto& root = s.scopes->threads[0].nodes[0];
  CHECK(root.total_ns == 1000000000);
  CHECK(root.raw_total_ns == 1000000730);
  CHECK(root.raw_self_ns == 100000060);
}

TEST_CASE("older snapshots without raw columns or overhead read raw times as the recorded ones") {
  auto s = read_snapshot_file(fixture("scopes/app.2002.prof.json"));
  CHECK(s.meta.exit.kind == ExitStatus::Kind::unknown);
  REQUIRE(s.scopes);
  CHECK_FALSE(s.scopes->overhead);
  CHECK(s.scopes->threads[0].tid == 3001);
  CHECK_FALSE(s.scopes->threads[0].ended);
  const auto& node = s.scopes->threads[0].nodes[1];
  CHECK(node.raw_total_ns == 300000000);
  CHECK(node.raw_self_ns == 100000000);
}

TEST_CASE("the flat profile merges sites over threads and processes, cumtime once under recursion") {
  auto rows = merge_scopes(both_apps());
  REQUIRE(rows.size() == 6);
  CHECK(row(rows, "main").calls == 2);
  CHECK(row(rows, "main").total_ns == 1400000000);
  CHECK(row(rows, "main").self_ns == 200000000);
  // 1 + 2 + 22 calls, one of them primitive; the inner 500 ms and 300 ms are inside the outer 600 ms.
  CHECK(row(rows, "fib").calls == 25);
  CHECK(row(rows, "fib").primitive_calls == 1);
  CHECK(row(rows, "fib").self_ns == 600000000);
  CHECK(row(rows, "fib").total_ns == 600000000);
  // work: 4 calls under main and 10 as the worker's root in 2001, 2 in 2002.
  CHECK(row(rows, "work").calls == 16);
  CHECK(row(rows, "work").self_ns == 500000000);
  CHECK(row(rows, "work").total_ns == 800000000);
  CHECK(row(rows, "(deeper)").calls == 7);
  CHECK(row(rows, "ns::Solver::step").file == "solver.hpp");
}

TEST_CASE("raw figures (--no-compensate) are summed the same way") {
  auto rows = merge_scopes(both_apps(), ScopeTimes::raw);
  CHECK(row(rows, "main").total_ns == 1000000730 + 400000000);
  CHECK(row(rows, "main").self_ns == 100000060 + 100000000);
  CHECK(row(rows, "fib").self_ns == 100000030 + 200000240 + 300000220);
  CHECK(row(rows, "fib").total_ns == 600000490);
}

TEST_CASE("the merged tree joins equal call paths and counts the whole") {
  auto tree = merged_scope_tree(both_apps(), ScopeTimes::compensated);
  CHECK(tree.nodes.size() == 9);  // 6 + 2 nodes of 2001; 2002 adds only main > work > step
  CHECK(tree.roots.size() == 2);  // main (both processes) and the worker's work
  CHECK(tree.root_total_ns() == 1600000000);
  CHECK(tree.calls() == 63);
  CHECK(tree.primitive_calls() == 39);
}

TEST_CASE("edges carry the callee's figures; a recursive edge counts its time once") {
  auto tree = merged_scope_tree(both_apps(), ScopeTimes::compensated);
  auto edges = scope_edges(tree);
  auto edge = [&](const std::string& caller, const std::string& callee) {
    auto it = std::find_if(edges.begin(), edges.end(), [&](const ScopeEdge& e) {
      auto from = e.caller < 0 ? std::string("(root)") : tree.sites[static_cast<std::size_t>(e.caller)].name;
      return from == caller && tree.sites[e.callee].name == callee;
    });
    REQUIRE(it != edges.end());
    return *it;
  };
  CHECK(edge("main", "work").calls == 6);
  CHECK(edge("main", "work").self_ns == 350000000);
  CHECK(edge("main", "work").total_ns == 600000000);
  CHECK(edge("(root)", "work").calls == 10);
  CHECK(edge("fib", "fib").calls == 24);
  CHECK(edge("fib", "fib").primitive_calls == 0);
  CHECK(edge("fib", "fib").self_ns == 500000000);
  CHECK(edge("fib", "fib").total_ns == 500000000);
}

TEST_CASE("bad scopes data is refused with the place it is wrong") {
  auto good = [] {
    std::ifstream in(fixture("scopes/app.2002.prof.json"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  auto forward = good;
  forward.replace(forward.find("[0, 1, 2, 2,"), 12, "[2, 1, 2, 2,");
  CHECK_THROWS_WITH(parse_snapshot(forward, "f.prof.json"),
                    Catch::Contains("scopes.threads[0].nodes.rows[1].parent: index 2 is out of range"));
  auto site = good;
  site.replace(site.find("[1, 2, 8, 8,"), 12, "[1, 7, 8, 8,");
  CHECK_THROWS_WITH(parse_snapshot(site, "s.prof.json"),
                    Catch::Contains("scopes.threads[0].nodes.rows[2].site: index 7 is out of range"));
}
