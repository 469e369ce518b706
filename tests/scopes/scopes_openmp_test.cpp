// OpenMP's threads, started by its runtime through pthread_create, each get their own call tree.
#include <catch2/catch.hpp>

#include "scope_test_support.hpp"

using namespace prof::test;

TEST_CASE("an OpenMP parallel region of 2 threads: 2 trees, 10 calls each, times bounded") {
  TempDir dir;
  auto run = run_program({std::string(PROF_SCOPES_PROGRAMS_DIR) + "/openmp_workload"}, {}, dir);
  REQUIRE(run.result.code() == 0);
  const auto& s = exit_snapshot(run);
  auto truth = planted(run.result);
  std::int64_t calls = 0;
  double total_ns = 0;
  int threads_with_scopes = 0;
  for (const auto& thread : s.threads) {
    auto rows = s.rows_named(thread, "omp task");
    if (rows.empty()) continue;
    ++threads_with_scopes;
    CHECK(sum_calls(rows) == 10);
    for (const auto& row : rows) {
      calls += row.calls;
      total_ns += double(row.total_ns);
    }
  }
  CHECK(threads_with_scopes == 2);
  CHECK(calls == 20);
  check_time_bounds("omp task", total_ns, truth["omp task"], run, 2);
}
