// Threads (std::thread and raw pthreads) each record their own tree, hand it over when they end, and an
// on-demand snapshot taken while they run reads their counters without a race (run under TSan in CI).
#include <catch2/catch.hpp>

#include <set>

#include "scope_test_support.hpp"

using namespace prof::test;

TEST_CASE("four threads: one tree each, handed over at thread end, calls exact, times bounded") {
  TempDir dir;
  auto run = run_workload("threads", dir);
  INFO("stderr: " << run.result.err);
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 2);
  const auto& s = exit_snapshot(run);
  auto truth = planted(run.result);
  REQUIRE(s.threads.size() == 4);
  double worker_self = 0, task = 0;
  std::set<std::int64_t> ids, tids;
  for (const auto& t : s.threads) {
    ids.insert(t.id);
    tids.insert(t.tid);
    CHECK(t.ended);
    auto worker = s.rows_named(t, "worker");
    auto task_rows = s.rows_named(t, "task");
    REQUIRE(worker.size() == 1);
    REQUIRE(task_rows.size() == 1);
    CHECK(worker[0].calls == 2);
    CHECK(task_rows[0].calls == 2);
    worker_self += double(worker[0].self_ns);
    task += double(task_rows[0].total_ns);
  }
  // 4 threads x 2 x (2 ms + 5 ms) were planted.
  CHECK(truth["worker self"] >= 16e6);
  CHECK(truth["task"] >= 40e6);
  // Four threads on two cores wait for each other (and the workload's own mutex is taken inside the worker
  // scope): times are bounded, from below by the spins, from above by four threads for the whole run.
  check_time_bounds("worker self", worker_self, truth["worker self"], run, 4);
  check_time_bounds("task", task, truth["task"], run, 4);
  CHECK(ids.size() == 4);
  CHECK(tids.size() == 4);

  // The snapshot taken while they ran: live threads, never more than was planted by then.
  for (const auto& mid : run.snapshots) {
    if (mid.sequence != 1) continue;
    CHECK(mid.label == "while running");
    CHECK(mid.exit_status == "running");
    for (const auto& t : mid.threads) {
      for (const auto& row : t.rows) {
        CHECK(row.calls <= 2);
        CHECK(row.raw_total_ns <= truth["worker self"] + truth["task"]);
      }
    }
  }
}
