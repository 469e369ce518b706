// Threads under stress (issue 17): coroutines that begin a scope on one thread and end it on another, and
// two threads asking for snapshots at once (run under TSan in CI).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "scope_test_support.hpp"

using namespace prof::test;

namespace {

RunResult run_stress_only(const std::string& mode, const TempDir& dir) {
  return prof::test::run({std::string(PROF_SCOPES_PROGRAMS_DIR) + "/stress_workloads", mode},
                         {"PROF_OUTPUT=" + dir.path().string()}, dir.path());
}

// The row of `thread` named `name`, which must be unique, and the name of its parent ("" for a root).
std::pair<ScopeRow, std::string> unique_row(const ScopeSnapshot& s, const ScopeThread& thread,
                                            const std::string& name) {
  auto rows = s.rows_named(thread, name);
  INFO("scope " << name << " in thread " << thread.id);
  REQUIRE(rows.size() == 1);
  std::string parent = rows[0].parent < 0 ? "" : s.site_name(thread.rows.at(std::size_t(rows[0].parent)));
  return {rows[0], parent};
}

}  // namespace

TEST_CASE(
    "3000 coroutines begin a scope on main and end it on a pool thread: both trees intact, calls "
    "exact") {
  TempDir dir;
  auto run = run_program({std::string(PROF_SCOPES_PROGRAMS_DIR) + "/stress_workloads", "coroutine"}, {}, dir);
  INFO("stderr: " << run.result.err);
  REQUIRE(run.result.signal() == 0);
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 1);
  const auto& s = exit_snapshot(run);
  REQUIRE(s.threads.size() == 2);
  // Which thread entered its first scope first is a race: main is the one with the iterations.
  bool main_first = !s.rows_named(s.threads[0], "iteration").empty();
  const auto& main_thread = s.threads[main_first ? 0 : 1];
  const auto& pool = s.threads[main_first ? 1 : 0];
  // Main: the scope begun there stays in main's tree, under the iteration that began it.
  auto [iteration, iteration_parent] = unique_row(s, main_thread, "iteration");
  CHECK(iteration.calls == 3000);
  CHECK(iteration_parent.empty());
  auto [coroutine, coroutine_parent] = unique_row(s, main_thread, "coroutine");
  CHECK(coroutine.calls == 3000);
  CHECK(coroutine_parent == "iteration");
  auto [after_iteration, after_iteration_parent] = unique_row(s, main_thread, "after iteration");
  CHECK(after_iteration.calls == 3000);
  CHECK(after_iteration_parent.empty());
  CHECK(main_thread.rows.size() == 3);
  // The pool: what ran there nests under its own task, and what followed the coroutine's end too.
  auto [task, task_parent] = unique_row(s, pool, "pool task");
  CHECK(task.calls == 3000);
  CHECK(task_parent.empty());
  auto [resumed, resumed_parent] = unique_row(s, pool, "resumed work");
  CHECK(resumed.calls == 3000);
  CHECK(resumed_parent == "pool task");
  auto [after, after_parent] = unique_row(s, pool, "after resume");
  CHECK(after.calls == 3000);
  CHECK(after_parent == "pool task");
  CHECK(unique_row(s, pool, "pool start").first.calls == 1);
  CHECK(pool.rows.size() == 4);
}

TEST_CASE("two threads x 20 prof::write_snapshot calls at once: 40 snapshots, none lost") {
  // Before the fix about one run in two lost some (the writer was busy with the other thread's snapshot).
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir dir;
    auto result = run_stress_only("snapshots", dir);
    INFO("attempt " << attempt << ", stdout: " << result.out << "stderr: " << result.err);
    REQUIRE(result.code() == 0);
    CHECK(result.out.find("failed 0") != std::string::npos);
    CHECK(result.err.find("busy") == std::string::npos);
    // PROGRAM.PID.N.prof.json for N = 1..40, and the exit snapshot PROGRAM.PID.prof.json. The files are
    // large (eight subtrees of 5460 nodes): their names say enough, one of them is read back.
    auto files = snapshots_in(dir.path());
    REQUIRE(files.size() == 41);
    std::set<int> sequences;
    for (const auto& file : files) {
      std::string name = file.filename().string();
      std::string stem = name.substr(0, name.size() - std::string(".prof.json").size());
      auto dot = stem.rfind('.');
      if (stem.substr(0, dot).find('.') != std::string::npos)
        sequences.insert(std::stoi(stem.substr(dot + 1)));
    }
    CHECK(sequences.size() == 40);
    CHECK(*sequences.begin() == 1);
    CHECK(*sequences.rbegin() == 40);
    CHECK(read_scope_snapshot(files.back()).has_scopes);
  }
}
