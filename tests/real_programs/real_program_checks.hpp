#pragma once
// The checks every real program shares: the program behaves the same under prof run, and the snapshots it
// leaves are valid.
#include <catch2/catch.hpp>

#include "side_by_side.hpp"

namespace prof::test {

// False (with a warning) when `name` is not on this machine: the test then has nothing to check.
inline bool have_program(const std::string& name) {
  if (!find_program(name).empty()) return true;
  WARN("SKIPPED: " << name << " is not installed here (.ci/install-deps installs it)");
  return false;
}

enum class Stderr { compare, ignore };

// The memory tracer's own line when it steps aside instead of tracing.
inline bool tracer_stepped_aside(const SideBySide& run) {
  for (const std::string& line : run.prof_lines)
    if (line.starts_with("prof: memory tracer off")) return true;
  return false;
}

// Same stdout, exit code (and stderr when it is deterministic); at least `min_snapshots` snapshots, all
// valid, and no line from prof but its closing summary.
inline SideBySide check_traced_like_plain(const RealProgram& program, Stderr stderr_check = Stderr::compare,
                                          std::size_t min_snapshots = 1, bool tracer_may_step_aside = false) {
  SideBySide run = run_side_by_side(program);
  INFO("plain stderr: " << run.plain.err);
  INFO("traced stderr: " << run.traced.err);
  CHECK(run.traced.exit_code == run.plain.exit_code);
  CHECK(run.traced.out.size() == run.plain.out.size());
  CHECK(run.traced.out == run.plain.out);
  if (stderr_check == Stderr::compare) CHECK(run.traced_err_without_prof == run.plain.err);
  CHECK(run.prof_lines.size() == (tracer_may_step_aside && tracer_stepped_aside(run) ? 2u : 1u));
  CHECK((!run.prof_lines.empty() && run.prof_lines.back().find(" snapshot") != std::string::npos));
  CHECK(run.snapshots.size() >= min_snapshots);
  CHECK(validate_snapshots_in(run.snapshot_dir) == 0);
  if (!tracer_stepped_aside(run)) CHECK(total_allocations(run.snapshot_dir) > 0);
  return run;
}

}  // namespace prof::test
