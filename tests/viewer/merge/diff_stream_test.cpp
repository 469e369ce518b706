// `prof diff OLD NEW` on two run directories of several ranks, merged as a stream: the summed figures of a
// scope and a memory site in each run and their change, on snapshots planted here with known numbers.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "merge/report_merge.hpp"
#include "merge_checks.hpp"
#include "planted_run.hpp"
#include "run_prof.hpp"

using namespace prof::viewer;
using prof::test::run_prof;
using prof::test::RunDir;
namespace fs = std::filesystem;

namespace {

// Rank r of OLD: work takes (r+1) s in 10 calls, the site peaks at 100 (r+1) bytes in 2 allocations.
// NEW scales them: work (r+1) * 1.5 s in 20 calls, the site 300 (r+1) bytes in 5 allocations.
// Summed over ranks 0..2: work 6 s -> 9 s, the site 600 B -> 1800 B and 6 -> 15 allocations.
void plant(RunDir& old_run, RunDir& new_run) {
  for (int r = 0; r < 3; ++r) {
    old_run.add({.rank = r,
                 .pid = 200 + r,
                 .work_seconds = r + 1.0,
                 .peak_bytes = 100 * (r + 1),
                 .calls = 10,
                 .allocations = 2});
    new_run.add({.rank = r,
                 .pid = 200 + r,
                 .work_seconds = 1.5 * (r + 1),
                 .peak_bytes = 300 * (r + 1),
                 .calls = 20,
                 .allocations = 5});
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
    auto merge = merge_run(dir, ScopeTimes::compensated, false, true, {}, true);
    prof::test::check_keeps_only_summaries(merge, 3);
    CHECK(merge.scopes().tree().nodes.size() == 1);
  }
}
