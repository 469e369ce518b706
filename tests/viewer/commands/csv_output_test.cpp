// What `prof report` hands to other programs (pandas, spreadsheets, jq), on planted snapshots of two
// processes with 25 scopes "scope_01".."scope_25" (i ms each, "idle" at 0 in both) and 15 memory sites
// (f_01..f_15, i KiB at the peak): csv and json carry every row unless --top is given, one csv output holds
// one table (the across statistics are the --across view), and a cv without a number is an empty field.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::run_prof;
using prof::test::ScratchDir;

namespace {

constexpr int kScopes = 25, kSites = 15;

std::string snapshot(int pid) {
  std::vector<std::string> strings{"", "app.cpp", "/src/app.cpp", "idle"};
  std::vector<std::string> scope_sites, nodes, frames, stacks, sites;
  auto string_index = [&](const std::string& s) {
    strings.push_back(s);
    return strings.size() - 1;
  };
  for (int i = 1; i <= kScopes; ++i) {
    scope_sites.push_back(fmt::format("[{}, 1, {}]", string_index(fmt::format("scope_{:02}", i)), i));
    std::int64_t ns = std::int64_t(i) * 1000000 * (pid == 101 ? 1 : 2);
    nodes.push_back(fmt::format("[-1, {}, 1, 1, {}, {}]", i - 1, ns, ns));
  }
  scope_sites.push_back("[3, 1, 99]");
  nodes.push_back(fmt::format("[-1, {}, 1, 1, 0, 0]", kScopes));
  std::int64_t peak = 0;
  for (int i = 1; i <= kSites; ++i) {
    frames.push_back(fmt::format("[{}, 2, {}, 0, {}, false]", string_index(fmt::format("f_{:02}", i)), i, i));
    stacks.push_back(fmt::format("[{}]", i - 1));
    sites.push_back(fmt::format("[{}, 1, {}, {}, 0, 0]", i - 1, i * 1024, i * 1024));
    peak += i * 1024;
  }
  std::string quoted;
  for (const auto& s : strings)
    quoted += (quoted.empty() ? "\"" : ", \"") + s + "\"";
  return fmt::format(
      R"({{"format": "libprof-snapshot", "version": 1, "meta": {{"program": "app", "argv": ["app"],
    "pid": {}, "ppid": 1, "host": "node1", "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1,
    "user_seconds": 1, "system_seconds": 0, "max_rss_bytes": 1000000, "exit": {{"status": "exited", "code": 0}},
    "libprof_version": "0.1.0", "writer": "preload", "clock": {{"source": "clock_gettime", "clock":
    "CLOCK_MONOTONIC"}}, "threads_seen": 1, "cores_online": 8}},
  "strings": [{}],
  "modules": [{{"path": "/app/app", "build_id": "aa", "base": 4096, "size": 65536, "unloaded": false}}],
  "frames": {{"columns": ["function", "file", "line", "module", "offset", "inlined"], "rows": [{}]}},
  "stacks": [{}], "symbolised": true,
  "scopes": {{"sites": {{"columns": ["name", "file", "line"], "rows": [{}]}},
             "threads": [{{"id": 0, "nodes": {{"columns": ["parent", "site", "calls", "primitive_calls",
               "total_ns", "self_ns"], "rows": [{}]}}}}]}},
  "memory": {{"summary": {{"allocations": {}, "allocated_bytes": {}, "peak_bytes": {}, "leaked_allocations": 0,
    "leaked_bytes": 0}}, "sites": {{"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
    "leaked_allocations", "leaked_bytes"], "rows": [{}]}}}}}})",
      pid, quoted, fmt::join(frames, ", "), fmt::join(stacks, ", "), fmt::join(scope_sites, ", "),
      fmt::join(nodes, ", "), kSites, peak, peak, fmt::join(sites, ", "));
}

struct TwoProcesses {
  ScratchDir dir;
  TwoProcesses() {
    dir.file("app.101.prof.json", snapshot(101));
    dir.file("app.102.prof.json", snapshot(102));
  }
  std::string one() const { return dir.path("app.101.prof.json"); }
};

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("csv and json carry every row unless --top is given; text keeps 20 scopes and 10 sites") {
  TwoProcesses run;
  auto scopes = run_prof({"report", "--scopes", "--format", "csv", run.one()});
  REQUIRE(scopes.exit_code == 0);
  CHECK(lines(scopes.out) == 1 + kScopes + 1);  // header, the 25 scopes and idle
  auto mem = run_prof({"report", "--mem", "--format", "csv", run.one()});
  REQUIRE(mem.exit_code == 0);
  CHECK(lines(mem.out) == 1 + kSites);
  CHECK_THAT(mem.out, Catch::Contains("\n/src/app.cpp,1,f_01,"));  // the smallest site too

  auto top = run_prof({"report", "--scopes", "--format", "csv", "--top", "5", run.one()});
  CHECK(lines(top.out) == 1 + 5);
  auto mem_top = run_prof({"report", "--mem", "--format", "csv", "--top", "3", run.one()});
  CHECK(lines(mem_top.out) == 1 + 3);

  auto json = run_prof({"report", "--scopes", "--mem", "--format", "json", run.one()});
  REQUIRE(json.exit_code == 0);
  CHECK(occurrences(json.out, "\"scope_") == kScopes);
  CHECK(occurrences(json.out, "\"f_") == kSites);

  auto text = run_prof({"report", "--scopes", "--mem", run.one()});
  CHECK_THAT(text.out, Catch::Contains("... 6 more (see --top)"));  // 26 scopes, 20 shown
  CHECK_THAT(text.out, Catch::Contains("... 5 more (see --top)"));  // 15 sites, 10 shown

  auto help = run_prof({"report", "--help"});
  CHECK_THAT(help.out, Catch::Contains("text: 20, memory sites 10"));
  CHECK_THAT(help.out, Catch::Contains("csv and json: all rows"));
}

TEST_CASE("one csv output holds one table: the across statistics are the --across view") {
  TwoProcesses run;
  for (const char* section : {"--scopes", "--mem"}) {
    INFO(section);
    auto main = run_prof({"report", section, "--format", "csv", run.dir.path()});
    REQUIRE(main.exit_code == 0);
    CHECK(main.out.find("\n\n") == std::string::npos);
    CHECK(main.out.find("sum_") == std::string::npos);
    auto across = run_prof({"report", section, "--across", "--format", "csv", run.dir.path()});
    REQUIRE(across.exit_code == 0);
    CHECK(across.out.find("\n\n") == std::string::npos);
    CHECK_THAT(across.out, Catch::StartsWith("name,file,line,"));
    CHECK_THAT(across.out, Catch::Contains(",sum_"));
  }
  // Every site across the processes, not the text's top 10: scope_25 sums 25 + 50 ms, f_01 2 KiB.
  auto across = run_prof({"report", "--scopes", "--across", "--format", "csv", run.dir.path()});
  CHECK_THAT(across.out, Catch::Contains("\nscope_25,app.cpp,25,0.075"));  // sum (in binary: 0.0750...01)
  CHECK_THAT(across.out, Catch::Contains(",0.025,101,0.0375"));            // min in 101, mean
  CHECK_THAT(across.out, Catch::Contains(",0.05,102,0.333"));              // max in 102, cv 1/3
  CHECK(lines(across.out) == 1 + kScopes + 1);
  auto mem_across = run_prof({"report", "--mem", "--across", "--format", "csv", run.dir.path()});
  CHECK(lines(mem_across.out) == 1 + kSites);

  // json nests both tables in the section.
  auto json = run_prof({"report", "--scopes", "--format", "json", run.dir.path()});
  CHECK_THAT(json.out, Catch::Contains("\"across\""));
  CHECK(occurrences(json.out, "\"scope_25\"") == 2);

  // --across needs several processes.
  auto single = run_prof({"report", "--scopes", "--across", "--format", "csv", run.one()});
  CHECK(single.exit_code != 0);
  CHECK_THAT(single.err, Catch::Contains("--across"));
}

TEST_CASE("a row that is zero in every process leaves cv and imbalance empty in csv, null in json") {
  TwoProcesses run;
  auto across = run_prof({"report", "--scopes", "--across", "--format", "csv", run.dir.path()});
  REQUIRE(across.exit_code == 0);
  CHECK_THAT(across.out, Catch::Contains("\nidle,app.cpp,99,0,0,101,0,0,101,,\n"));
  CHECK_THAT(across.out, !Catch::Contains("nan"));
  auto json = run_prof({"report", "--scopes", "--format", "json", run.dir.path()});
  CHECK_THAT(json.out, !Catch::Contains("nan"));
}
