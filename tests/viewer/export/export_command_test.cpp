// `prof export --format pprof|massif` end to end: the command's file opened by pprof and ms_print.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>

#include "export/tool_checks.hpp"
#include "export/tool_run.hpp"
#include "fixtures.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::first_word;
using prof::test::fixture;
using prof::test::line_with;
using prof::test::run_prof;
using prof::test::run_tool;

TEST_CASE("prof export --format pprof: memory of a run directory, read by pprof") {
  const std::string pprof = PROF_TEST_PPROF;
  if (access(pprof.c_str(), X_OK) != 0) {
    WARN("SKIPPED: pprof was not built here (.ci/install-deps installs Go and its sources)");
    return;
  }
  prof::test::ScratchDir dir;
  auto out = dir.path("heap.pb.gz");
  auto result = run_prof({"export", fixture("memory"), "--format", "pprof", "--view", "leaks", "-o", out});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto top = run_tool(pprof + " -symbolize=none -top -unit=B " + out);
  INFO(top.out);
  REQUIRE(top.exit_code == 0);
  CHECK(line_with(top.out, "Type: inuse_space") != "");  // --view leaks: what was live at exit
  // load leaked 4096 B in each of the two processes, assemble 1024 B in the first.
  CHECK(first_word(line_with(top.out, " load")) == "8192B");
  CHECK(first_word(line_with(top.out, " assemble")) == "1024B");
  auto tagged = run_tool(pprof + " -symbolize=none -top -unit=B -tagfocus=pid=1002 " + out);
  CHECK(first_word(line_with(tagged.out, " load")) == "4096B");
  CHECK(line_with(tagged.out, " assemble") == "");
}

TEST_CASE("prof export --format pprof: scopes by default, calls and time") {
  const std::string pprof = PROF_TEST_PPROF;
  if (access(pprof.c_str(), X_OK) != 0) {
    WARN("SKIPPED: pprof was not built here (.ci/install-deps installs Go and its sources)");
    return;
  }
  prof::test::ScratchDir dir;
  auto out = dir.path("scopes.pb.gz");
  auto result = run_prof({"export", fixture("scopes/app.2001.prof.json"), "--format", "pprof", "-o", out});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto top = run_tool(pprof + " -symbolize=none -top -unit=ms " + out);
  INFO(top.out);
  CHECK(first_word(line_with(top.out, " fib")) == "600ms");
  CHECK(first_word(line_with(top.out, " work")) == "400ms");
}

TEST_CASE(
    "prof export --format pprof: encoded as the snapshots come, memory without --mem when no snapshot has "
    "scopes, the scopes as soon as one has") {
  const std::string pprof = PROF_TEST_PPROF;
  if (access(pprof.c_str(), X_OK) != 0) {
    WARN("SKIPPED: pprof was not built here (.ci/install-deps installs Go and its sources)");
    return;
  }
  prof::test::ScratchDir dir;
  // Memory only: the samples waited in a scratch file until the end said there were no scopes.
  auto memory = dir.path("memory.pb.gz");
  auto result = run_prof({"export", fixture("memory"), "--format", "pprof", "-o", memory});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto top = run_tool(pprof + " -symbolize=none -top -unit=B -nodefraction=0 " + memory);
  INFO(top.out);
  CHECK(line_with(top.out, "Type: peak_space") != "");
  CHECK(first_word(line_with(top.out, " assemble")) == "11534336B");  // both processes' peaks, summed
  CHECK(first_word(line_with(top.out, " load")) == "20480B");
  // A memory-only snapshot first, then one with scopes: the scopes, whose time pprof shows.
  auto mixed = dir.path("mixed.pb.gz");
  result = run_prof({"export", fixture("memory/app.1001.prof.json"), fixture("scopes/app.2001.prof.json"),
                     "--format", "pprof", "-o", mixed});
  REQUIRE(result.exit_code == 0);
  auto scopes = run_tool(pprof + " -symbolize=none -top -unit=ms " + mixed);
  INFO(scopes.out);
  CHECK(first_word(line_with(scopes.out, " fib")) == "600ms");
  CHECK(line_with(scopes.out, " assemble") == "");
}

namespace {

// A rank of a crafted MPI run whose sampler counted `compute` and `exchange` samples, each under main.
std::string sampled_rank(int rank, int compute, int exchange) {
  return R"({"format": "libprof-snapshot", "version": 1, "meta": {"program": "solver", "argv": ["solver"],
    "pid": )" +
         std::to_string(9000 + rank) +
         R"(, "ppid": 1, "host": "h", "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1.0,
    "user_seconds": 0.5, "system_seconds": 0.1, "max_rss_bytes": 8388608, "exit": {"status": "exited", "code": 0},
    "libprof_version": "0.1.0", "writer": "preload", "clock": {"source": "clock_gettime",
    "clock": "CLOCK_MONOTONIC"}, "threads_seen": 1, "cores_online": 2, "rank": )" +
         std::to_string(rank) + R"(, "size": 2},
    "strings": ["", "main", "/src/solver.cpp", "compute", "exchange"],
    "frames": {"columns": ["function", "file", "line", "module", "offset"],
               "rows": [[1, 2, 10, -1, 0], [3, 2, 20, -1, 0], [4, 2, 30, -1, 0]]},
    "stacks": [[1, 0], [2, 0]], "symbolised": true,
    "samples": {"clock": "cpu", "hz": 100, "samples": )" +
         std::to_string(compute + exchange) + R"(, "stacks": {"columns": ["stack", "samples"],
    "rows": [[0, )" +
         std::to_string(compute) + "], [1, " + std::to_string(exchange) + "]]}}}";
}

}  // namespace

TEST_CASE("prof export --format pprof --samples: a run directory's ranks stay apart as the label rank") {
  const std::string pprof = PROF_TEST_PPROF;
  if (access(pprof.c_str(), X_OK) != 0) {
    WARN("SKIPPED: pprof was not built here (.ci/install-deps installs Go and its sources)");
    return;
  }
  prof::test::ScratchDir dir;
  dir.file("solver.r0.9000.prof.json", sampled_rank(0, 30, 10));
  dir.file("solver.r1.9001.prof.json", sampled_rank(1, 5, 50));
  auto out = dir.path("cpu.pb.gz");
  auto result = run_prof({"export", dir.path(), "--samples", "--format", "pprof", "-o", out});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto top = [&](const std::string& options) {
    auto run = run_tool(pprof + " -symbolize=none -top -sample_index=samples " + options + " " + out);
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    return run.out;
  };
  // Each rank alone: its own counts.
  auto rank0 = top("-tagfocus=rank=0");
  CHECK(first_word(line_with(rank0, " compute")) == "30");
  CHECK(first_word(line_with(rank0, " exchange")) == "10");
  auto rank1 = top("-tagfocus=rank=1");
  CHECK(first_word(line_with(rank1, " compute")) == "5");
  CHECK(first_word(line_with(rank1, " exchange")) == "50");
  // Both: summed, as prof report merges.
  auto both = top("");
  CHECK(first_word(line_with(both, " compute")) == "35");
  CHECK(first_word(line_with(both, " exchange")) == "60");
  // -traces names each sample's rank; -tags splits the total (10 ms a sample at 100 Hz).
  auto traces = run_tool(pprof + " -symbolize=none -traces " + out).out;
  CHECK(line_with(traces, "rank:  0") != "");
  CHECK(line_with(traces, "rank:  1") != "");
  auto tags = run_tool(pprof + " -symbolize=none -tags " + out).out;
  INFO(tags);
  CHECK(line_with(tags, "550.0ms (57.89%): 1") != "");
  CHECK(line_with(tags, "400.0ms (42.11%): 0") != "");
}

TEST_CASE("prof export --format massif: the largest peak of a run directory, read by ms_print") {
  if (run_tool("command -v ms_print").exit_code != 0) {
    WARN("SKIPPED: no ms_print here (Debian's valgrind)");
    return;
  }
  prof::test::ScratchDir dir;
  auto out = dir.path("massif.out");
  auto result = run_prof({"export", fixture("memory"), "--format", "massif", "-o", out});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto printed = run_tool("ms_print " + out);
  INFO(printed.out);
  REQUIRE(printed.exit_code == 0);
  CHECK(line_with(printed.out, "Massif arguments:   libprof (prof export): pid 1002") != "");
  CHECK(line_with(printed.out, "6,301,696        6,301,696") != "");
  CHECK(line_with(printed.out, "(6,291,456B) 0x").ends_with(": assemble (/src/app/solver.cpp:42)"));
}

TEST_CASE("prof export --format massif: scopes alone are refused in one line") {
  prof::test::ScratchDir dir;
  auto out = dir.path("massif.out");
  auto result = run_prof({"export", fixture("scopes/app.2001.prof.json"), "--format", "massif", "-o", out});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("memory") != std::string::npos);
  CHECK(access(out.c_str(), F_OK) != 0);
}
