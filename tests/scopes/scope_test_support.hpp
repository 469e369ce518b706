#pragma once
// Runs a workload program with PROF_OUTPUT in a fresh directory and reads back every snapshot it left,
// each validated against the schema and checked for the compensation arithmetic.

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../core/test_support.hpp"
#include "scope_snapshot.hpp"

namespace prof::test {

struct WorkloadRun {
  RunResult result;
  std::vector<fs::path> files;
  std::vector<ScopeSnapshot> snapshots;  // same order as files (sorted names)
  double elapsed_ns = 0;                 // the whole run, start to wait, by the test's own clock
};

inline WorkloadRun run_program(const std::vector<std::string>& argv, std::vector<std::string> env,
                               const TempDir& dir) {
  env.push_back("PROF_OUTPUT=" + dir.path().string());
  WorkloadRun run;
  auto start = std::chrono::steady_clock::now();
  run.result = prof::test::run(argv, env, dir.path());
  run.elapsed_ns = double(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  INFO("stderr: " << run.result.err);
  run.files = snapshots_in(dir.path());
  if (!run.files.empty()) REQUIRE(validate(dir.path()) == 0);
  for (const auto& file : run.files) {
    run.snapshots.push_back(read_scope_snapshot(file));
    check_scope_arithmetic(run.snapshots.back());
  }
  return run;
}

inline WorkloadRun run_workload(const std::string& name, const TempDir& dir,
                                std::vector<std::string> env = {}) {
  return run_program({std::string(PROF_SCOPES_PROGRAMS_DIR) + "/scope_workloads", name}, std::move(env), dir);
}

// The exit snapshot (no sequence number) of a run.
inline const ScopeSnapshot& exit_snapshot(const WorkloadRun& run) {
  for (const auto& s : run.snapshots)
    if (s.sequence < 0) return s;
  FAIL("no exit snapshot");
  return run.snapshots.front();
}

// The busy-wait time the program really spent, by name ("planted NAME NS" lines on its stdout).
inline std::map<std::string, double> planted(const RunResult& result) {
  std::map<std::string, double> totals;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("planted ", 0) != 0) continue;
    auto space = line.rfind(' ');
    totals[line.substr(8, space - 8)] = std::stod(line.substr(space + 1));
  }
  return totals;
}

// Times against bounds no scheduler breaks, so the tests pass on a loaded machine: a scope encloses its
// busy-wait, so it lasts at least what the spin really took (less 1 %, far more than the few nanoseconds per
// call that compensation subtracts), and it cannot outlast the run that holds it (`threads` of them at once).
// How close a quiet machine gets to the planted time is for the benchmarks, not for a pass/fail test.
inline void check_time_bounds(const char* what, double measured_ns, double planted_ns, double elapsed_ns,
                              int threads = 1) {
  INFO(what << ": measured " << measured_ns << " ns, planted " << planted_ns << " ns, run " << elapsed_ns
            << " ns");
  CHECK(planted_ns > 0);
  CHECK(measured_ns >= 0.99 * planted_ns);
  CHECK(measured_ns <= threads * elapsed_ns);
}

inline void check_time_bounds(const char* what, double measured_ns, double planted_ns, const WorkloadRun& run,
                              int threads = 1) {
  check_time_bounds(what, measured_ns, planted_ns, run.elapsed_ns, threads);
}

inline std::int64_t sum_calls(const std::vector<ScopeRow>& rows) {
  std::int64_t calls = 0;
  for (const auto& r : rows)
    calls += r.calls;
  return calls;
}

}  // namespace prof::test
