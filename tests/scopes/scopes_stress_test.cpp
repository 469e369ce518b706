// The scope profiler under stress (issue 17): a plugin unloaded before exit, scopes in a signal handler, a
// parent with ten thousand distinct children, a PROF_ENABLED=0 unit linked next to enabled ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "scope_test_support.hpp"

using namespace prof::test;

namespace {

WorkloadRun run_stress(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv{std::string(PROF_SCOPES_PROGRAMS_DIR) + "/stress_workloads"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, {}, dir);
}

ScopeRow only_row(const ScopeSnapshot& s, const ScopeThread& thread, const std::string& name) {
  auto rows = s.rows_named(thread, name);
  INFO("scope " << name);
  REQUIRE(rows.size() == 1);
  return rows[0];
}

}  // namespace

TEST_CASE("a plugin unloaded before exit: the exit snapshot names its scopes, with their calls") {
  TempDir dir;
  auto run = run_stress({"plugin", std::string(PROF_SCOPES_PROGRAMS_DIR) + "/scope_plugin.so"}, dir);
  INFO("stderr: " << run.result.err);
  REQUIRE(run.result.signal() == 0);
  REQUIRE(run.result.code() == 0);
  CHECK(run.result.out.find("plugin returned 21") != std::string::npos);
  REQUIRE(run.files.size() == 1);
  const auto& s = exit_snapshot(run);
  REQUIRE(s.threads.size() == 1);
  CHECK(only_row(s, s.threads[0], "plugin work").calls == 1);
  CHECK(only_row(s, s.threads[0], "plugin inner").calls == 7);
  CHECK(only_row(s, s.threads[0], "after unload").calls == 1);
  bool plugin_file = std::any_of(s.strings.begin(), s.strings.end(), [](const std::string& text) {
    return text.find("plugin_module.cpp") != std::string::npos;
  });
  CHECK(plugin_file);
  // No temporary file left behind.
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().extension() != ".tmp");
}

TEST_CASE(
    "a scoped SIGALRM handler firing every 10 us to 1 ms while main builds a large tree: no hang, "
    "main's counts exact") {
  // Each run used to hang in most attempts (the handler re-entered the tree update it interrupted).
  for (int attempt = 0; attempt < 5; ++attempt) {
    TempDir dir;
    auto run = run_stress({"signal"}, dir);
    INFO("attempt " << attempt << ", stderr: " << run.result.err);
    REQUIRE(run.result.code() == 0);
    REQUIRE(run.files.size() == 1);
    const auto& s = exit_snapshot(run);
    REQUIRE(s.threads.size() == 1);
    const auto& main_thread = s.threads[0];
    // 8 phases x 3 passes; below each phase a 4-ary tree of depth 7: (4 + 16 + ... + 4^7) / 4 = 5461 nodes
    // per site and phase, each entered once per pass.
    auto phases = s.rows_named(main_thread, "phase");
    REQUIRE(phases.size() == 8);
    for (const auto& row : phases)
      CHECK(row.calls == 3);
    for (const char* site : {"a", "b", "c", "d"}) {
      auto rows = s.rows_named(main_thread, site);
      INFO("site " << site);
      CHECK(rows.size() == 8 * 5461);
      CHECK(sum_calls(rows) == 8 * 3 * 5461);
    }
    // The handler's own scopes are recorded when they did not interrupt a tree update, never more often
    // than the handler ran.
    auto handler = s.rows_named(main_thread, "signal handler");
    auto signals_line = run.result.out.find("signals ");
    REQUIRE(signals_line != std::string::npos);
    long signals = std::stol(run.result.out.substr(signals_line + 8));
    CHECK(sum_calls(handler) <= signals);
  }
}

TEST_CASE("a parent with 10000 or 100000 distinct children in three orders: one node each, calls exact") {
  // 100 000 children take nodes past the first 2 MiB (then from huge-page slabs) and a child index of
  // 4 MiB (huge pages too): the lookups must find every child there as well. Each order is repeated, so the
  // guessed next sibling is used, and each change of order makes every guess wrong once.
  const int k = GENERATE(10000, 100000);
  TempDir dir;
  auto run = run_stress({"wide", std::to_string(k)}, dir);
  REQUIRE(run.result.code() == 0);
  const auto& s = exit_snapshot(run);
  REQUIRE(s.threads.size() == 1);
  const auto& rows = s.threads[0].rows;
  auto parent = s.rows_named(s.threads[0], "wide parent");
  REQUIRE(parent.size() == 1);
  CHECK(parent[0].calls == 9);
  std::int64_t parent_row = -1;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (s.site_name(rows[i]) == "wide parent") parent_row = std::int64_t(i);
  auto children = s.rows_named(s.threads[0], "wide child");
  CHECK(children.size() == std::size_t(k));
  std::set<std::int64_t> sites;
  for (const auto& child : children) {
    CHECK(child.calls == 9);  // in turn, reversed, strided: three rounds each
    CHECK(child.parent == parent_row);
    sites.insert(child.site);
  }
  CHECK(sites.size() == std::size_t(k));
}

TEST_CASE("a PROF_ENABLED=0 unit that takes prof::write_snapshot's address does not replace the real one") {
  TempDir dir;
  auto run = run_stress({"stub_clash"}, dir);
  INFO("stdout: " << run.result.out);
  CHECK(run.result.out.find("disabled stub returns 0") != std::string::npos);
  CHECK(run.result.out.find("enabled write_snapshot returns 1") != std::string::npos);
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.files.size() == 2);
  bool labelled = false;
  for (const auto& snapshot : run.snapshots)
    labelled = labelled || (snapshot.label == "from the enabled unit" && snapshot.sequence == 1);
  CHECK(labelled);
}
