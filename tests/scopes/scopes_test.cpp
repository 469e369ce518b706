// The scope profiler against planted ground truth: busy-waits of known length in nested and recursive
// scopes, the depth limit, on-demand snapshots and reset, switching off, and the overhead compensation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "scope_test_support.hpp"

using namespace prof::test;

namespace {
constexpr double kMs = 1e6;  // nanoseconds
}

TEST_CASE("nested scopes: calls exactly, self and total no less than the planted busy-waits") {
  TempDir dir;
  auto run = run_workload("nested", dir);
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 1);
  const auto& s = exit_snapshot(run);
  auto truth = planted(run.result);
  REQUIRE(truth.size() == 2);
  CHECK(s.writer == "library");
  CHECK(s.exit_status == "unknown");
  CHECK(s.calibrated);
  CHECK(s.calibrations == 2);  // at start-up and again at exit
  REQUIRE(s.threads.size() == 1);
  const auto& main_thread = s.threads[0];
  CHECK(main_thread.id == 0);
  CHECK_FALSE(main_thread.ended);
  auto outer = s.rows_named(main_thread, "outer");
  auto inner = s.rows_named(main_thread, "inner");
  REQUIRE(outer.size() == 1);
  REQUIRE(inner.size() == 1);
  CHECK(outer[0].parent == -1);
  CHECK(s.site_name(main_thread.rows.at(std::size_t(inner[0].parent))) == "outer");
  CHECK(outer[0].calls == 3);
  CHECK(outer[0].primitive_calls == 3);
  CHECK(inner[0].calls == 3);
  // 3 x 2 ms and 3 x 5 ms were planted; the truth is what the spins really took.
  CHECK(truth["outer self"] >= 6 * kMs);
  CHECK(truth["inner"] >= 15 * kMs);
  check_time_bounds("outer total", double(outer[0].total_ns), truth["outer self"] + truth["inner"], run);
  check_time_bounds("outer self", double(outer[0].self_ns), truth["outer self"], run);
  check_time_bounds("inner total", double(inner[0].total_ns), truth["inner"], run);
  // A leaf's self is its total; the parent holds the child.
  CHECK(inner[0].self_ns == inner[0].total_ns);
  CHECK(outer[0].total_ns >= inner[0].total_ns + outer[0].self_ns - 1);
}

TEST_CASE("recursion follows pstats: calls 25/1, cumulative time on the outermost call") {
  TempDir dir;
  auto run = run_workload("recursive", dir);
  REQUIRE(run.result.code() == 0);
  const auto& s = exit_snapshot(run);
  REQUIRE(s.threads.size() == 1);
  auto truth = planted(run.result);
  auto rows = s.rows_named(s.threads[0], "work::recurse");
  REQUIRE(rows.size() == 25);
  CHECK(sum_calls(rows) == 25);
  std::int64_t primitive = 0;
  double all_levels = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    primitive += rows[i].primitive_calls;
    // Rows come outermost first: row i is the level that had 25 - i levels left.
    double level = truth["recurse level " + std::to_string(25 - i)];
    all_levels += level;
    CHECK(level >= 2 * kMs);
    check_time_bounds("level self", double(rows[i].self_ns), level, run);
    // Each level holds the ones below it.
    if (i > 0) CHECK(rows[i - 1].total_ns >= rows[i].total_ns);
  }
  CHECK(primitive == 1);
  const auto& outermost = rows.front();
  CHECK(outermost.parent == -1);
  CHECK(outermost.primitive_calls == 1);
  check_time_bounds("outermost total", double(outermost.total_ns), all_levels, run);
}

TEST_CASE("the depth limit puts everything below max_depth into one (deeper) node") {
  auto check = [](const ScopeSnapshot& s, std::int64_t depth) {
    CHECK(s.max_depth == depth);
    REQUIRE(s.threads.size() == 1);
    const auto& t = s.threads[0];
    auto deep = s.rows_named(t, "work::deep");
    auto deeper = s.rows_named(t, "(deeper)");
    CHECK(std::int64_t(deep.size()) == depth);
    REQUIRE(deeper.size() == 1);
    CHECK(deeper[0].calls == 1);
    CHECK(s.site_name(t.rows.at(std::size_t(deeper[0].parent))) == "work::deep");
    CHECK(sum_calls(deep) == depth);
  };
  SECTION("default 256") {
    TempDir dir;
    auto run = run_workload("deep", dir);
    REQUIRE(run.result.code() == 0);
    check(exit_snapshot(run), 256);
  }
  SECTION("PROF_MAX_DEPTH=10") {
    TempDir dir;
    auto run = run_workload("deep", dir, {"PROF_MAX_DEPTH=10"});
    REQUIRE(run.result.code() == 0);
    check(exit_snapshot(run), 10);
  }
}

TEST_CASE("on-demand snapshots are numbered from 1 and reset starts counting afresh") {
  TempDir dir;
  auto run = run_workload("snapshots", dir);
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 3);
  std::map<std::int64_t, const ScopeSnapshot*> by_sequence;
  for (const auto& s : run.snapshots)
    by_sequence[s.sequence] = &s;
  REQUIRE(by_sequence.count(1) == 1);
  REQUIRE(by_sequence.count(2) == 1);
  REQUIRE(by_sequence.count(-1) == 1);
  const auto& first = *by_sequence[1];
  const auto& second = *by_sequence[2];
  CHECK(first.label == "first");
  CHECK(first.exit_status == "running");
  CHECK(second.label == "second");
  CHECK(run.files[0].filename().string().find(".1.prof.json") != std::string::npos);
  REQUIRE(first.threads.size() == 1);
  CHECK(first.rows_named(first.threads[0], "before_reset").size() == 1);
  CHECK(first.rows_named(first.threads[0], "after_reset").empty());
  for (const auto* later : {&second, by_sequence[-1]}) {
    REQUIRE(later->threads.size() == 1);
    CHECK(later->rows_named(later->threads[0], "before_reset").empty());
    auto after = later->rows_named(later->threads[0], "after_reset");
    REQUIRE(after.size() == 1);
    CHECK(after[0].calls == 1);
    check_time_bounds("after_reset", double(after[0].total_ns), planted(run.result)["after_reset"], run);
  }
}

TEST_CASE("prof::enable(false) records nothing until enabled again") {
  TempDir dir;
  auto run = run_workload("toggled", dir);
  REQUIRE(run.result.code() == 0);
  for (const auto& s : run.snapshots) {
    REQUIRE(s.threads.size() == 1);
    CHECK(s.rows_named(s.threads[0], "recorded_before").size() == 1);
    CHECK(s.rows_named(s.threads[0], "not_recorded").empty());
    CHECK(s.rows_named(s.threads[0], "recorded_after").size() == 1);
  }
}

TEST_CASE("PROF_SCOPES=0 records nothing and leaves no exit snapshot") {
  TempDir dir;
  auto run = run_workload("disabled", dir, {"PROF_SCOPES=0"});
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 1);
  const auto& s = run.snapshots[0];
  CHECK(s.sequence == 1);
  CHECK(s.has_scopes);
  CHECK(s.threads.empty());
  CHECK_FALSE(s.calibrated);
  CHECK(s.calibrations == 0);  // switched off: nothing measured, not even before the snapshot
}

TEST_CASE(
    "compensation removes part of the overhead of a million empty child scopes, never more than was "
    "measured") {
  TempDir dir;
  auto run = run_workload("compensation", dir);
  REQUIRE(run.result.code() == 0);
  // One on-demand snapshot per round (after a reset); the median round sets aside one the scheduler hit.
  std::vector<double> removed;
  for (const auto& s : run.snapshots) {
    if (s.sequence < 0) continue;
    REQUIRE(s.calibrated);
    // Measured at both ends of the round (prof::reset, prof::write_snapshot), not once at start-up: the
    // cost of a scope moves with the machine's load, and one figure taken at start was up to 10 % off.
    CHECK(s.calibrations == 2);
    REQUIRE(s.threads.size() == 1);
    auto plain = s.rows_named(s.threads[0], "plain loop");
    auto instrumented = s.rows_named(s.threads[0], "instrumented loop");
    auto children = s.rows_named(s.threads[0], "empty child");
    REQUIRE(plain.size() == 1);
    REQUIRE(instrumented.size() == 1);
    REQUIRE(children.size() == 1);
    CHECK(children[0].calls == 1000000);
    CHECK(children[0].total_ns >= 0);
    CHECK(instrumented[0].total_ns <= instrumented[0].raw_total_ns);
    // What the macros cost, measured, and what is left of it after compensation.
    double overhead = double(instrumented[0].raw_total_ns - plain[0].total_ns);
    double left = double(instrumented[0].total_ns - plain[0].total_ns);
    REQUIRE(overhead > 0);
    removed.push_back(1 - left / overhead);
    UNSCOPED_INFO("plain " << plain[0].total_ns << " ns, instrumented raw " << instrumented[0].raw_total_ns
                           << " ns, compensated " << instrumented[0].total_ns << " ns; inner " << s.inner_ns
                           << " ns, outer " << s.outer_ns << " ns; removed " << removed.back() * 100 << " %");
  }
  REQUIRE(removed.size() == 7);
  std::sort(removed.begin(), removed.end());
  // Soundness only: something is removed in most rounds. How much (100 % +- a few) depends on a quiet
  // machine, so it is measured by the benchmark (docs/PERFORMANCE.md), not asserted where a neighbour's load
  // can slow the plain loop or the instrumented one alone.
  CHECK(removed[removed.size() / 2] > 0);
}

TEST_CASE("the snapshot round-trips through prof report: the CSV holds the recorded calls and times") {
  TempDir dir;
  auto run = run_workload("recursive", dir);
  REQUIRE(run.result.code() == 0);
  const auto& s = exit_snapshot(run);
  auto rows = s.rows_named(s.threads[0], "work::recurse");
  REQUIRE(rows.size() == 25);
  double outermost_total_ns = 0, self_ns = 0;
  for (const auto& row : rows) {
    bool outermost =
        row.parent < 0 || s.site_name(s.threads[0].rows.at(std::size_t(row.parent))) != "work::recurse";
    if (outermost) outermost_total_ns = double(row.total_ns);
    self_ns += double(row.self_ns);
  }

  auto report = prof::test::run({std::string(PROF_TEST_BIN_DIR) + "/prof", "report", dir.path().string(),
                                 "--scopes", "--format", "csv"},
                                {}, dir.path());
  INFO("stderr: " << report.err);
  REQUIRE(report.code() == 0);
  // name,file,line,calls,primitive_calls,self_seconds,total_seconds,...
  std::istringstream csv(report.out);
  std::string line;
  std::getline(csv, line);
  CHECK(line.rfind("name,file,line,calls,primitive_calls,self_seconds,total_seconds", 0) == 0);
  bool found = false;
  while (std::getline(csv, line)) {
    if (line.rfind("work::recurse,", 0) != 0) continue;
    found = true;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');)
      cells.push_back(cell);
    REQUIRE(cells.size() >= 7);
    CHECK(cells[3] == "25");
    CHECK(cells[4] == "1");
    CHECK(std::stod(cells[5]) * 1e9 == Approx(self_ns).epsilon(1e-6));
    CHECK(std::stod(cells[6]) * 1e9 == Approx(outermost_total_ns).epsilon(1e-6));
  }
  CHECK(found);
}
