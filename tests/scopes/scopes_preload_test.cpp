// One process, one snapshot: a program linked with libprof and run under the preload shim leaves a single
// snapshot holding the shim's exit code and libprof's scopes; without the shim libprof writes it alone.
#include <catch2/catch.hpp>

#include "scope_test_support.hpp"

using namespace prof::test;

namespace {

std::string program() {
  return std::string(PROF_SCOPES_UNSANITIZED_DIR) + "/shim_program";
}

std::string shim() {
  return std::string("LD_PRELOAD=") + PROF_TEST_LIB_DIR + "/libprof_preload.so";
}

void check_scopes(const ScopeSnapshot& s, const RunResult& result, double elapsed_ns) {
  REQUIRE(s.has_scopes);
  REQUIRE(s.threads.size() == 1);
  auto main_rows = s.rows_named(s.threads[0], "main");
  auto phase = s.rows_named(s.threads[0], "app::phase");
  REQUIRE(main_rows.size() == 1);
  REQUIRE(phase.size() == 1);
  CHECK(phase[0].calls == 2);
  double truth = planted(result)["app::phase"];
  CHECK(truth >= 4e6);
  check_time_bounds("app::phase", double(phase[0].total_ns), truth, elapsed_ns);
}

}  // namespace

TEST_CASE("under the shim: exactly one snapshot, with the exit code and the scopes") {
  TempDir dir;
  auto run = run_program({program()}, {shim()}, dir);
  CHECK(run.result.code() == 3);
  REQUIRE(run.files.size() == 1);
  const auto& s = run.snapshots[0];
  CHECK(s.writer == "preload");
  CHECK(s.exit_status == "exited");
  CHECK(s.exit_code == 3);
  check_scopes(s, run.result, run.elapsed_ns);
}

TEST_CASE("under the shim, an on-demand snapshot is the shim's too") {
  TempDir dir;
  auto run = run_program({program(), "on-demand"}, {shim()}, dir);
  CHECK(run.result.code() == 3);
  REQUIRE(run.files.size() == 2);
  int on_demand = 0;
  for (const auto& s : run.snapshots) {
    CHECK(s.writer == "preload");
    if (s.sequence == 1) {
      ++on_demand;
      CHECK(s.label == "phase one");
      CHECK(s.exit_status == "running");
    } else {
      CHECK(s.exit_code == 3);
      check_scopes(s, run.result, run.elapsed_ns);
    }
  }
  CHECK(on_demand == 1);
}

TEST_CASE("without the shim: one snapshot written by the library, exit status unknown") {
  TempDir dir;
  auto run = run_program({program()}, {}, dir);
  CHECK(run.result.code() == 3);
  REQUIRE(run.files.size() == 1);
  const auto& s = run.snapshots[0];
  CHECK(s.writer == "library");
  CHECK(s.exit_status == "unknown");
  check_scopes(s, run.result, run.elapsed_ns);
}

TEST_CASE("prof run gives one snapshot with the scopes, and prof report reads it") {
  TempDir dir;
  fs::path out = dir.path() / "run";
  auto prof = std::string(PROF_TEST_BIN_DIR) + "/prof";
  auto start = std::chrono::steady_clock::now();
  auto result = prof::test::run({prof, "run", "-o", out.string(), "--", program()}, {}, dir.path());
  double elapsed_ns = double(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  INFO("stderr: " << result.err);
  CHECK(result.code() == 3);
  auto files = snapshots_in(out);
  REQUIRE(files.size() == 1);
  REQUIRE(validate(files[0]) == 0);
  auto s = read_scope_snapshot(files[0]);
  CHECK(s.exit_code == 3);
  check_scopes(s, result, elapsed_ns);
  auto report = prof::test::run({prof, "report", files[0].string()}, {}, dir.path());
  INFO("report stderr: " << report.err);
  CHECK(report.code() == 0);
}
