// A run named more than once (`prof report DIR DIR`, a file and its directory, a path through a symlink, a
// copy of a snapshot elsewhere) is one run: each file read once, each process (host, pid, start) counted
// once, so the process count and the summed figures are those of the run named once.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "planted_run.hpp"
#include "read/snapshot_files.hpp"
#include "run_prof.hpp"

using namespace prof::viewer;
using prof::test::Planted;
using prof::test::run_prof;
using prof::test::RunDir;
namespace fs = std::filesystem;

namespace {

// Ranks 0..2: work takes (r+1) s, the site peaks at 100 (r+1) bytes: sums 6 s and 600 B over 3 ranks.
void plant(RunDir& run) {
  for (int r = 0; r < 3; ++r)
    run.add(Planted{.rank = r, .pid = 300 + r, .work_seconds = r + 1.0, .peak_bytes = 100 * (r + 1)});
}

// Every way of naming the run twice that the test tries, beside the run named once.
std::vector<std::vector<std::string>> namings(const RunDir& run, const fs::path& links) {
  auto file = (run.path / "solver.r0001.301.prof.json").string();
  fs::create_directory_symlink(run.path, links / "run-link");
  fs::create_symlink(file, links / "file-link.prof.json");
  fs::create_directories(links / "copy");
  fs::copy_file(file, links / "copy" / "solver.r0001.301.prof.json");
  auto dir = run.str();
  return {{dir, dir},
          {file, dir},
          {dir, file},
          {(links / "run-link").string(), dir},
          {(links / "file-link.prof.json").string(), dir},
          {dir + "/./", dir},
          {(links / "copy").string(), dir}};  // another file of the same process (host, pid, start)
}

}  // namespace

TEST_CASE("a run named twice (dir twice, file + dir, a symlink, a copy) is read as one run") {
  RunDir run("named-twice"), links("named-twice-links");
  plant(run);
  auto once = list_snapshot_files({run.str()});
  REQUIRE(once.size() == 3);
  auto by_rank_once = run_prof({"report", "--by-rank", "--format", "csv", run.str()});
  REQUIRE(by_rank_once.exit_code == 0);
  auto scopes_once = run_prof({"report", "--scopes", "--across", "--format", "csv", run.str()});
  REQUIRE(scopes_once.exit_code == 0);
  // The summed figure the test compares: work 1 + 2 + 3 = 6 s over 3 ranks.
  REQUIRE_THAT(scopes_once.out,
               Catch::StartsWith("name,file,line,sum_seconds,min_seconds,min_rank,mean_seconds,"
                                 "max_seconds,max_rank,cv,imbalance\nwork,app.cpp,10,6,1,0,2,3,2,"));
  auto mem_once = run_prof({"report", "--mem", "--across", "--format", "csv", run.str()});
  REQUIRE_THAT(mem_once.out,
               Catch::Contains("\n/src/app/solver.cpp:42,/src/app/solver.cpp,42,assemble,600,"));

  for (const auto& paths : namings(run, links.path)) {
    INFO("paths: " << paths[0] << " " << paths[1]);
    auto files = list_snapshot_files(paths);
    CHECK(files.size() == 3);
    std::vector<std::string> args = {"report", "--by-rank", "--format", "csv"};
    args.insert(args.end(), paths.begin(), paths.end());
    auto by_rank = run_prof(args);
    CHECK(by_rank.exit_code == 0);
    CHECK(by_rank.out == by_rank_once.out);  // one row per rank, 3 rows
    CHECK_THAT(by_rank.err, Catch::Contains("named more than once"));
    args[1] = "--scopes";
    args.insert(args.begin() + 2, "--across");
    CHECK(run_prof(args).out == scopes_once.out);  // work: 6 s summed, not 7 or 12
    args[1] = "--mem";
    CHECK(run_prof(args).out == mem_once.out);  // the site: 600 B summed
  }
}

TEST_CASE("two snapshots of different processes with the same pid are both read") {
  RunDir a("same-pid-a"), b("same-pid-b");
  a.add(Planted{.pid = 400, .start = 1});
  b.add(Planted{.pid = 400, .start = 2});  // pid reused later: another process
  CHECK(list_snapshot_files({a.str(), b.str()}).size() == 2);
  auto two = run_prof({"report", "--meta", "--format", "csv", a.str(), b.str()});
  CHECK(two.exit_code == 0);
  CHECK_THAT(two.err, !Catch::Contains("named more than once"));
}
