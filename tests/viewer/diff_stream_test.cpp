// `prof diff OLD NEW` on two run directories of several ranks, merged as a stream: the summed figures of a
// scope and a memory site in each run and their change, on snapshots planted here with known numbers.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "report_merge.hpp"
#include "run_prof.hpp"

using namespace prof::viewer;
using prof::test::run_prof;
namespace fs = std::filesystem;

namespace {

// One rank: the scope "work" (app.cpp:10) called `calls` times for `work_ns`, and one memory site
// (solver.cpp:42, function assemble) with `allocations` allocations and `peak_bytes` live at the peak.
std::string rank_snapshot(int rank, std::int64_t work_ns, std::int64_t calls, std::int64_t peak_bytes,
                          std::int64_t allocations) {
  return fmt::format(
      R"({{"format": "libprof-snapshot", "version": 1, "meta": {{"program": "solver", "argv": ["solver"],
    "pid": {}, "ppid": 1, "host": "node1", "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 10,
    "user_seconds": 1, "system_seconds": 0, "max_rss_bytes": 1000, "exit": {{"status": "exited", "code": 0}},
    "libprof_version": "0.1.0", "writer": "preload", "clock": {{"source": "clock_gettime", "clock":
    "CLOCK_MONOTONIC"}}, "threads_seen": 1, "cores_online": 8, "rank": {}, "size": 3}},
  "strings": ["", "work", "app.cpp", "assemble", "/src/app/solver.cpp"],
  "modules": [{{"path": "/app/solver", "build_id": "aa", "base": 4096, "size": 65536, "unloaded": false}}],
  "frames": {{"columns": ["function", "file", "line", "module", "offset", "inlined"],
             "rows": [[3, 4, 42, 0, 100, false]]}},
  "stacks": [[0]], "symbolised": true,
  "scopes": {{"sites": {{"columns": ["name", "file", "line"], "rows": [[1, 2, 10]]}},
             "threads": [{{"id": 0, "nodes": {{"columns": ["parent", "site", "calls", "primitive_calls",
               "total_ns", "self_ns"], "rows": [[-1, 0, {}, {}, {}, {}]]}}}}]}},
  "memory": {{"summary": {{"allocations": {}, "allocated_bytes": {}, "peak_bytes": {}, "leaked_allocations": 0,
    "leaked_bytes": 0}}, "sites": {{"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
    "leaked_allocations", "leaked_bytes"], "rows": [[0, {}, {}, {}, 0, 0]]}}}}}})",
      200 + rank, rank, calls, calls, work_ns, work_ns, allocations, peak_bytes, peak_bytes, allocations,
      peak_bytes, peak_bytes);
}

struct RunDir {
  fs::path path;
  explicit RunDir(const std::string& name)
      : path(fs::temp_directory_path() / fmt::format("prof-diff-stream-test-{}-{}", name, ::getpid())) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~RunDir() { fs::remove_all(path); }
  std::string str() const { return path.string(); }
};

// Rank r of OLD: work takes (r+1) s in 10 calls, the site peaks at 100 (r+1) bytes in 2 allocations.
// NEW scales them: work (r+1) * 1.5 s in 20 calls, the site 300 (r+1) bytes in 5 allocations.
// Summed over ranks 0..2: work 6 s -> 9 s, the site 600 B -> 1800 B and 6 -> 15 allocations.
void plant(const RunDir& old_run, const RunDir& new_run) {
  for (int r = 0; r < 3; ++r) {
    std::ofstream(old_run.path / fmt::format("solver.r{:04}.{}.prof.json", r, 200 + r))
        << rank_snapshot(r, (r + 1) * 1'000'000'000LL, 10, 100 * (r + 1), 2);
    std::ofstream(new_run.path / fmt::format("solver.r{:04}.{}.prof.json", r, 200 + r))
        << rank_snapshot(r, (r + 1) * 1'500'000'000LL, 20, 300 * (r + 1), 5);
  }
}

}  // namespace

TEST_CASE("prof diff of two run directories sums each run's ranks, for memory sites and scopes") {
  RunDir old_run("old"), new_run("new");
  plant(old_run, new_run);
  auto mem = run_prof({"diff", old_run.str(), new_run.str(), "--mem", "--format", "csv"});
  REQUIRE(mem.exit_code == 0);
  CHECK(mem.out ==
        "file,line,function,old_size_bytes,size_bytes,size_diff_bytes,old_count,count,count_diff\n"
        "/src/app/solver.cpp,42,assemble,600,1800,1200,6,15,9\n");
  auto text = run_prof({"diff", old_run.str(), new_run.str(), "--mem"});
  REQUIRE(text.exit_code == 0);
  // 1800 B in NEW, 1200 B more than OLD; 15 allocations, 9 more.
  CHECK_THAT(text.out, Catch::Matches(R"((.|\n)*/src/app/solver.cpp:42: +size=1.76 KiB +\(\+1.17 KiB\), +)"
                                      R"(count=15 +\(\+9\),(.|\n)*)"));

  auto scopes = run_prof({"diff", old_run.str(), new_run.str(), "--scopes", "--format", "csv"});
  REQUIRE(scopes.exit_code == 0);
  CHECK(scopes.out ==
        "name,file,line,old_calls,new_calls,old_self_seconds,new_self_seconds,old_total_seconds,"
        "new_total_seconds,change_seconds,ratio\n"
        "work,app.cpp,10,30,60,6,9,6,9,3,1.5\n");
}

TEST_CASE("prof diff keeps each run's accumulators and the processes' summaries, not the snapshots") {
  RunDir old_run("kept-old"), new_run("kept-new");
  plant(old_run, new_run);
  for (const auto& dir : {old_run.str(), new_run.str()}) {
    auto merge = merge_run(dir, {}, true, {}, true);
    REQUIRE(merge.processes().size() == 3);
    for (const auto& process : merge.processes()) {
      CHECK(process.strings.empty());
      CHECK(process.frames.empty());
      CHECK(process.stacks.size() == 0);
      CHECK(!process.scopes);
      REQUIRE(process.memory);
      CHECK(process.memory->sites.empty());
    }
    CHECK(merge.scopes().processes() == 3);
    CHECK(merge.scopes().tree().nodes.size() == 1);
    CHECK(merge.memory().groups().size() == 1);
  }
}
