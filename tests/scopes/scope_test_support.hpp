#pragma once
// Runs a workload program with PROF_OUTPUT in a fresh directory and reads back every snapshot it left,
// each validated against the schema and checked for the compensation arithmetic.

#include <catch2/catch.hpp>

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
};

inline WorkloadRun run_program(const std::vector<std::string>& argv, std::vector<std::string> env,
                               const TempDir& dir) {
  env.push_back("PROF_OUTPUT=" + dir.path().string());
  WorkloadRun run;
  run.result = prof::test::run(argv, env, dir.path());
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

inline std::int64_t sum_calls(const std::vector<ScopeRow>& rows) {
  std::int64_t calls = 0;
  for (const auto& r : rows)
    calls += r.calls;
  return calls;
}

}  // namespace prof::test
