// Scopes across the edges of a thread's or a process's life (issue 17, items 5-8): open at a snapshot, at
// exit(), in a thread still running at exit, across fork(), in thread_local destructors, in many short
// threads. Threaded: CI runs these under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "scope_test_support.hpp"

using namespace prof::test;

namespace {

WorkloadRun run_lifecycle(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv{std::string(PROF_SCOPES_PROGRAMS_DIR) + "/lifecycle_workloads"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = run_program(argv, {}, dir);
  INFO("stdout: " << run.result.out << "\nstderr: " << run.result.err);
  REQUIRE(run.result.signal() == 0);
  REQUIRE(run.result.code() == 0);
  return run;
}

// The only row named `name` across the snapshot's threads.
ScopeRow only_row(const ScopeSnapshot& s, const std::string& name) {
  std::vector<ScopeRow> found;
  for (const auto& thread : s.threads)
    for (const auto& row : s.rows_named(thread, name))
      found.push_back(row);
  INFO("scope " << name);
  REQUIRE(found.size() == 1);
  return found[0];
}

const ScopeSnapshot& labelled(const WorkloadRun& run, const std::string& label) {
  for (const auto& s : run.snapshots)
    if (s.label == label) return s;
  FAIL("no snapshot labelled " << label);
  return run.snapshots.front();
}

// A number the program printed as "KEY VALUE".
double printed(const RunResult& result, const std::string& key) {
  auto at = result.out.find(key + " ");
  REQUIRE(at != std::string::npos);
  return std::stod(result.out.substr(at + key.size() + 1));
}

}  // namespace

TEST_CASE("write_snapshot inside main's scope: the open scope counts, with its child's time, marked open") {
  TempDir dir;
  auto run = run_lifecycle({"snapshot_inside"}, dir);
  auto spun = planted(run.result);
  const auto& inside = labelled(run, "inside");
  auto main_scope = only_row(inside, "main scope");
  CHECK(main_scope.calls == 1);
  CHECK(main_scope.open_calls == 1);
  CHECK(main_scope.parent == -1);
  auto child = only_row(inside, "child");
  CHECK(child.calls == 1);
  CHECK(child.open_calls == 0);
  check_time_bounds("child", double(child.raw_total_ns), spun.at("child"), run.elapsed_ns);
  check_time_bounds("main scope", double(main_scope.raw_total_ns), spun.at("child"), run.elapsed_ns);
  CHECK(main_scope.raw_total_ns >= child.raw_total_ns);
  // At exit the scope has closed: one call, no longer open.
  auto closed = only_row(exit_snapshot(run), "main scope");
  CHECK(closed.calls == 1);
  CHECK(closed.open_calls == 0);
  CHECK(closed.raw_total_ns >= main_scope.raw_total_ns);
}

TEST_CASE("exit() inside a scope: the scope counts open, at least as long as its child") {
  TempDir dir;
  auto run = run_lifecycle({"exit_inside"}, dir);
  auto spun = planted(run.result);
  REQUIRE(run.snapshots.size() == 1);
  const auto& s = exit_snapshot(run);
  auto outer = only_row(s, "outer");
  auto inner = only_row(s, "inner");
  CHECK(outer.calls == 1);
  CHECK(outer.open_calls == 1);
  CHECK(inner.calls == 1);
  CHECK(inner.open_calls == 0);
  check_time_bounds("inner", double(inner.raw_total_ns), spun.at("inner"), run.elapsed_ns);
  check_time_bounds("outer", double(outer.raw_total_ns), spun.at("inner"), run.elapsed_ns);
  CHECK(outer.raw_total_ns >= inner.raw_total_ns);
}

TEST_CASE("a detached thread still inside a scope at exit: its scope counts open, its time so far") {
  TempDir dir;
  auto run = run_lifecycle({"thread_at_exit"}, dir);
  auto spun = planted(run.result);
  const auto& s = exit_snapshot(run);
  auto stuck = only_row(s, "stuck worker");
  CHECK(stuck.calls == 1);
  CHECK(stuck.open_calls == 1);
  check_time_bounds("stuck worker", double(stuck.raw_total_ns), spun.at("stuck worker"), run.elapsed_ns);
}

TEST_CASE("fork() inside an open scope: the child's scope starts at the fork, the parent's stays whole") {
  TempDir dir;
  auto run = run_lifecycle({"fork_inside"}, dir);
  auto spun = planted(run.result);
  double child_lifetime = printed(run.result, "child lifetime");
  REQUIRE(run.snapshots.size() == 2);
  int children = 0, parents = 0;
  for (const auto& s : run.snapshots) {
    auto forked = only_row(s, "forked scope");
    CHECK(forked.calls == 1);
    CHECK(forked.open_calls == 0);
    bool is_parent = double(forked.raw_total_ns) >= 0.99 * spun.at("before fork");
    if (is_parent) {
      ++parents;
      check_time_bounds("parent's forked scope", double(forked.raw_total_ns),
                        spun.at("before fork") + spun.at("after fork"), run.elapsed_ns);
    } else {
      ++children;
      INFO("child's scope " << forked.raw_total_ns << " ns, child lived " << child_lifetime << " ns");
      CHECK(double(forked.raw_total_ns) <= child_lifetime);
    }
  }
  CHECK(parents == 1);
  CHECK(children == 1);
}

TEST_CASE("a scope in a worker's thread_local destructor is recorded in the worker's tree") {
  TempDir dir;
  auto run = run_lifecycle({"tls_destructor"}, dir);
  auto spun = planted(run.result);
  const auto& s = exit_snapshot(run);
  const ScopeThread* worker = nullptr;
  for (const auto& thread : s.threads)
    if (!s.rows_named(thread, "worker body").empty()) worker = &thread;
  REQUIRE(worker != nullptr);
  CHECK(worker->ended);
  auto rows = s.rows_named(*worker, "tls destructor");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].calls == 1);
  CHECK(rows[0].parent == -1);
  check_time_bounds("tls destructor", double(rows[0].raw_total_ns), spun.at("tls destructor"),
                    run.elapsed_ns);
}

TEST_CASE("prof report marks a scope that was open at exit, in the flat profile and the tree") {
  TempDir dir;
  run_lifecycle({"exit_inside"}, dir);
  for (const char* view : {"--scopes", "--tree"}) {
    auto report = prof::test::run(
        {std::string(PROF_TEST_BIN_DIR) + "/prof", "report", dir.path().string(), view}, {}, dir.path());
    INFO(view << "\n" << report.out << report.err);
    REQUIRE(report.code() == 0);
    std::istringstream lines(report.out);
    std::string line;
    int outer_open = 0, inner_open = 0, inner_lines = 0;
    while (std::getline(lines, line)) {
      bool open = line.find("1 (open)") != std::string::npos;
      if (line.find("outer  ") != std::string::npos && open) ++outer_open;
      if (line.find("inner  ") != std::string::npos) {
        ++inner_lines;
        if (open) ++inner_open;
      }
    }
    CHECK(outer_open == 1);
    CHECK(inner_lines == 1);
    CHECK(inner_open == 0);
  }
}

TEST_CASE("2000 short threads with scopes: the resident memory grows by far less than 40 KiB a thread") {
  // A sanitizer's shadow memory per thread would swamp what is measured here.
  if (PROF_TEST_SANITIZED) return;
  TempDir dir;
  auto run = run_lifecycle({"many_threads", "2000"}, dir);
  double growth_kib = printed(run.result, "rss_growth_kib");
  INFO("ru_maxrss grew by " << growth_kib << " KiB over 2000 threads");
  // Each ended thread keeps its name, ids and 4 compact nodes (a few hundred bytes); before the fold it kept
  // its chunk table and first chunk (about 40 KiB: 80 MB here). 16 MiB leaves room for any allocator.
  CHECK(growth_kib < 16 * 1024);
  const auto& s = exit_snapshot(run);
  REQUIRE(s.threads.size() == 2001);  // main has no scope: the warm-up thread and the 2000
  std::int64_t calls = 0, ended = 0;
  for (const auto& thread : s.threads) {
    ended += thread.ended ? 1 : 0;
    for (const auto& row : s.rows_named(thread, "step"))
      calls += row.calls;
  }
  CHECK(ended == 2001);
  CHECK(calls == 3 * 2001);
}
