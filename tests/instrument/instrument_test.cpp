// Every function a scope (prof_instrument): programs/instrumented_program.cpp runs plain calls, recursion, a
// PROF_SCOPE block, an exception, a longjmp, recording switched off and a thread; its snapshot, read and
// named by the viewer's own stages, must hold exactly the calls made, on the paths they were made on.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <simdjson.h>

#include "../core/test_support.hpp"
#include "read/snapshot_reader.hpp"
#include "symbolise/function_sites.hpp"
#include "symbolise/symbolised_file.hpp"

namespace {

using namespace prof;

// "main/middle/leaf" -> calls, for one thread's tree.
std::map<std::string, std::int64_t> calls_by_path(const viewer::Snapshot& snapshot,
                                                  const viewer::ScopeThread& thread) {
  std::vector<std::string> paths;
  std::map<std::string, std::int64_t> calls;
  for (const auto& node : thread.nodes) {
    std::string name = snapshot.string(snapshot.scopes->sites[node.site].name);
    std::string path = node.parent < 0 ? name : paths[static_cast<std::size_t>(node.parent)] + "/" + name;
    paths.push_back(path);
    calls[path] += node.calls;
  }
  return calls;
}

struct Run {
  test::TempDir dir;
  viewer::Snapshot snapshot;
  test::fs::path file;
};

void run_program(Run& run, std::vector<std::string> env = {}) {
  env.push_back("PROF_OUTPUT=" + run.dir.path().string());
  auto result = test::run({PROF_INSTRUMENT_PROGRAM}, env, run.dir.path());
  INFO(result.err);
  REQUIRE(result.code() == 0);
  auto files = test::snapshots_in(run.dir.path());
  REQUIRE(files.size() == 1);
  run.file = files[0];
  run.snapshot = viewer::read_snapshot_file(run.file.string());
  viewer::symbolise_loaded(run.snapshot);
  REQUIRE(run.snapshot.scopes);
}

}  // namespace

TEST_CASE("every call of an instrumented function is a scope, on the path it was made on") {
  Run run;
  run_program(run);
  REQUIRE(test::validate(run.file) == 0);
  const auto& threads = run.snapshot.scopes->threads;
  REQUIRE(threads.size() == 2);
  auto main_calls = calls_by_path(run.snapshot, threads[0]);
  for (const auto& [path, calls] : main_calls)
    UNSCOPED_INFO(path << ": " << calls);

  CHECK(main_calls["main"] == 1);
  // Recording off for one middle(3): 10 calls, not 11.
  CHECK(main_calls["main/middle"] == 10);
  CHECK(main_calls["main/middle/leaf"] == 30);
  // Recursion: one node per depth.
  std::string path = "main";
  for (int depth = 5; depth >= 0; --depth) {
    path += "/recursive";
    CHECK(main_calls[path] == 1);
  }
  CHECK(main_calls[path + "/recursive"] == 0);
  // A PROF_SCOPE block between two instrumented functions.
  CHECK(main_calls["main/with_scope"] == 4);
  CHECK(main_calls["main/with_scope/block"] == 4);
  CHECK(main_calls["main/with_scope/block/middle"] == 4);
  CHECK(main_calls["main/with_scope/block/middle/leaf"] == 8);
  // The exception and the longjmp leave the tree where the program is: marker() is main's child each time.
  CHECK(main_calls["main/catcher"] == 3);
  CHECK(main_calls["main/catcher/thrower"] == 3);
  CHECK(main_calls["main/jump_outer"] == 1);
  CHECK(main_calls["main/jump_outer/jump_inner"] == 1);
  CHECK(main_calls["main/jump_outer/jump_inner/jump_deeper"] == 1);
  CHECK(main_calls["main/marker"] == 3);
  // Nothing recorded anywhere else on the main thread.
  std::int64_t all = 0;
  for (const auto& [name, calls] : main_calls)
    all += calls;
  CHECK(all == 1 + 10 + 30 + 6 + (4 + 4 + 4 + 8) + 3 * 2 + 3 + 3);

  // The thread's own tree, rooted at the function it started in.
  auto worker_calls = calls_by_path(run.snapshot, threads[1]);
  CHECK(worker_calls["thread_body"] == 1);
  CHECK(worker_calls["thread_body/middle"] == 2);
  CHECK(worker_calls["thread_body/middle/leaf"] == 10);
}

TEST_CASE("an instrumented function is named with its source file and line") {
  Run run;
  run_program(run);
  bool found = false;
  for (const auto& site : run.snapshot.scopes->sites) {
    if (run.snapshot.string(site.name) != "middle") continue;
    found = true;
    CHECK(run.snapshot.string(site.file).ends_with("instrumented_program.cpp"));
    // The line of the function's entry: its signature.
    std::istringstream source(test::read_text(std::string(PROF_TEST_SOURCE_DIR) +
                                              "/tests/instrument/programs/instrumented_program.cpp"));
    std::string text;
    std::int64_t line = 0, expected = 0;
    while (std::getline(source, text) && expected == 0) {
      ++line;
      if (text.starts_with("NOINLINE void middle(int n) {")) expected = line;
    }
    CHECK(site.line == expected);
  }
  CHECK(found);
}

TEST_CASE("a function's name is the one PROF_FUNCTION() gives: qualified, without parameters") {
  CHECK(viewer::readable_function_name("(anonymous namespace)::middle(int)") == "middle");
  CHECK(viewer::readable_function_name("ns::Solver::step(double) const") == "ns::Solver::step");
  CHECK(viewer::readable_function_name("int ns::get<int>(int)") == "ns::get<int>");
  CHECK(viewer::readable_function_name("main") == "main");
}

TEST_CASE(
    "PROF_INSTRUMENT_EXCLUDE leaves functions out of the tree, their children and time to their callers") {
  Run run;
  run_program(run, {"PROF_INSTRUMENT_EXCLUDE=^(middle|jump_inner)$"});
  const auto& threads = run.snapshot.scopes->threads;
  REQUIRE(threads.size() == 2);
  auto main_calls = calls_by_path(run.snapshot, threads[0]);
  for (const auto& [path, calls] : main_calls)
    UNSCOPED_INFO(path << ": " << calls);
  CHECK(main_calls["main/middle"] == 0);
  CHECK(main_calls["main/leaf"] == 30);
  CHECK(main_calls["main/with_scope/block/leaf"] == 8);
  CHECK(main_calls["main/jump_outer/jump_deeper"] == 1);
  CHECK(main_calls["main/recursive"] == 1);  // other functions stay
  // The tree's times stay consistent: a node's self time is its total less its children's (each figure was
  // rounded to the nanosecond on its own: one of slack per child).
  for (const auto& thread : threads) {
    std::vector<std::int64_t> children(thread.nodes.size(), 0), count(thread.nodes.size(), 0);
    for (const auto& node : thread.nodes)
      if (node.parent >= 0) {
        children[static_cast<std::size_t>(node.parent)] += node.raw_total_ns;
        ++count[static_cast<std::size_t>(node.parent)];
      }
    for (std::size_t i = 0; i < thread.nodes.size(); ++i) {
      std::int64_t expected = std::max<std::int64_t>(0, thread.nodes[i].raw_total_ns - children[i]);
      CHECK(std::llabs(thread.nodes[i].raw_self_ns - expected) <= count[i] + 1);
    }
  }
  auto worker_calls = calls_by_path(run.snapshot, threads[1]);
  CHECK(worker_calls["thread_body/leaf"] == 10);
}

TEST_CASE("a PROF_INSTRUMENT_EXCLUDE that is not a regular expression is one error line of prof report") {
  test::TempDir dir;
  auto result =
      test::run({PROF_INSTRUMENT_PROGRAM},
                {"PROF_OUTPUT=" + dir.path().string(), "PROF_INSTRUMENT_EXCLUDE=(middle"}, dir.path());
  REQUIRE(result.code() == 0);
  auto report = test::run(
      {std::string(PROF_TEST_BIN_DIR) + "/prof", "report", "--scopes", dir.path().string()}, {}, dir.path());
  CHECK(report.code() == 2);
  CHECK(report.err.starts_with("prof: error: "));
  CHECK(report.err.find("PROF_INSTRUMENT_EXCLUDE: not a regular expression: (middle") != std::string::npos);
  CHECK(std::count(report.err.begin(), report.err.end(), '\n') == 1);
}

TEST_CASE("the names are saved into the snapshot: a later read needs neither the binary nor a lookup") {
  Run run;
  run_program(run);  // read and named once: the file is rewritten with the names
  auto saved = viewer::read_snapshot_file(run.file.string());
  REQUIRE(saved.scopes);
  std::vector<std::string> names;
  for (const auto& site : saved.scopes->sites)
    names.push_back(saved.string(site.name));
  CHECK(std::find(names.begin(), names.end(), "middle") != names.end());
  CHECK(std::find(names.begin(), names.end(), "thread_body") != names.end());
  CHECK(std::none_of(names.begin(), names.end(),
                     [](const std::string& name) { return name.starts_with("0x"); }));
  CHECK(test::validate(run.file) == 0);
  // Read again and named again: the same tree, the same names.
  viewer::symbolise_loaded(saved);
  auto calls = calls_by_path(saved, saved.scopes->threads[0]);
  CHECK(calls["main/middle/leaf"] == 30);
}

TEST_CASE(
    "below PROF_MAX_DEPTH one (deeper) node per path, and the tree is whole again after a longjmp from it") {
  Run run;
  run_program(run, {"PROF_MAX_DEPTH=3"});
  auto main_calls = calls_by_path(run.snapshot, run.snapshot.scopes->threads[0]);
  for (const auto& [path, calls] : main_calls)
    UNSCOPED_INFO(path << ": " << calls);
  CHECK(main_calls["main/recursive/recursive/(deeper)"] == 1);
  CHECK(main_calls["main/with_scope/block/(deeper)"] == 4);
  // jump_deeper entered "(deeper)" and left it by longjmp: jump_outer's exit closes both.
  CHECK(main_calls["main/jump_outer/jump_inner/(deeper)"] == 1);
  CHECK(main_calls["main/jump_outer"] == 1);
  CHECK(main_calls["main/marker"] == 3);
  CHECK(main_calls["main/middle"] == 10);
  CHECK(main_calls["main/middle/leaf"] == 30);
}

TEST_CASE("a function whose module cannot be read is named after the module and offset, or its address") {
  // A crafted snapshot (also in the fuzzer's corpus): its binary is not on this machine.
  test::TempDir dir;
  auto file = dir.path() / "instrumented.4001.prof.json";
  test::fs::copy_file(std::string(PROF_TEST_SOURCE_DIR) + "/tests/fuzz/corpus/instrumented.4001.prof.json",
                      file);
  auto snapshot = viewer::read_snapshot_file(file.string());
  viewer::symbolise_loaded(snapshot);
  REQUIRE(snapshot.scopes);
  const auto& sites = snapshot.scopes->sites;
  REQUIRE(sites.size() == 3);
  CHECK(snapshot.string(sites[0].name) == "solver+0x1160");
  CHECK(snapshot.string(sites[0].file) == "/nonexistent/prof-test/solver");
  CHECK(snapshot.string(sites[1].name) == "0x7f0012345678");  // module -1: the offset is the address
  CHECK(snapshot.string(sites[2].name) == "assemble");        // a PROF_SCOPE site is left alone
  CHECK(snapshot.scopes->threads[0].nodes.size() == 4);
}

TEST_CASE("PROF_INSTRUMENT_EXCLUDE=@FILE leaves out the functions named in the file, one a line") {
  Run run;
  auto names = run.dir.path() / "excluded.txt";
  {
    std::ofstream out(names);
    out << "# hot helpers\n  middle  \n\njump_inner # the longjmp's\nmid\n";
  }
  run_program(run, {"PROF_INSTRUMENT_EXCLUDE=@" + names.string()});
  auto main_calls = calls_by_path(run.snapshot, run.snapshot.scopes->threads[0]);
  CHECK(main_calls["main/middle"] == 0);
  CHECK(main_calls["main/leaf"] == 30);
  CHECK(main_calls["main/jump_outer/jump_deeper"] == 1);
  CHECK(main_calls["main/marker"] == 3);  // "mid" names no function: exact names, not parts
}

// A hook pair costs more than a guard (the exit hook compares the site again): compensating recorded
// functions with PROF_SCOPE's calibration left each caller a few nanoseconds per call too long. The snapshot
// now carries the hooks' own figures, and every function node is compensated with them, every PROF_SCOPE
// node with the guard's: total = raw - calls * inner - (inner + outer) of each entry below, by its kind.
TEST_CASE("recorded functions are compensated by what the hooks cost, PROF_SCOPE blocks by the guard's") {
  Run run;
  run_program(run);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(run.file.string());
  simdjson::dom::object overhead = doc["scopes"]["overhead"];
  REQUIRE(overhead["calibrated"].get_bool().value());
  // Measured at exit at least: the program records its first function after start-up's calibration.
  CHECK(overhead["function_measurements"].get_int64().value() >= 1);
  double scope_inner = overhead["inner_ns"].get_double().value();
  double scope_outer = overhead["outer_ns"].get_double().value();
  double function_inner = overhead["function_inner_ns"].get_double().value();
  double function_outer = overhead["function_outer_ns"].get_double().value();
  CHECK(function_inner + function_outer > 0);

  std::set<std::int64_t> function_sites;
  for (simdjson::dom::element row : doc["functions"]["sites"]["rows"].get_array())
    function_sites.insert(row.at(0).get_int64().value());
  std::set<std::string> kinds_seen;
  for (simdjson::dom::element thread : doc["scopes"]["threads"].get_array()) {
    struct Node {
      std::int64_t parent, site, calls, total, raw;
      double below = 0;  // what the entries below it cost it
    };
    std::vector<Node> nodes;
    for (simdjson::dom::element row : thread["nodes"]["rows"].get_array()) {
      // parent, site, calls, primitive_calls, total_ns, self_ns, raw_total_ns, raw_self_ns, open_calls
      auto at = [&](std::size_t i) { return row.at(i).get_int64().value(); };
      nodes.push_back({at(0), at(1), at(2), at(4), at(6)});
    }
    for (std::size_t i = nodes.size(); i-- > 0;) {
      Node& node = nodes[i];
      bool function = function_sites.count(node.site) > 0;
      kinds_seen.insert(function ? "function" : "scope");
      double inner = function ? function_inner : scope_inner;
      double outer = function ? function_outer : scope_outer;
      auto calls = static_cast<double>(node.calls);
      double expected = std::max(0.0, static_cast<double>(node.raw) - calls * inner - node.below);
      INFO("node " << i << (function ? " (function)" : " (PROF_SCOPE)") << ": raw " << node.raw << " calls "
                   << node.calls);
      // Each figure is rounded to a nanosecond when written.
      CHECK(std::abs(static_cast<double>(node.total) - expected) <= 1.0);
      if (node.parent >= 0)
        nodes[static_cast<std::size_t>(node.parent)].below += node.below + calls * (inner + outer);
    }
  }
  CHECK(kinds_seen == std::set<std::string>{"function", "scope"});
}
