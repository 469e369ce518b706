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
