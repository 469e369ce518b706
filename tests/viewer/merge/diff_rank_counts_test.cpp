// `prof diff` of runs that are not alike: 2 ranks against 3, or two different programs. Said in a line at
// the top, and where the process counts differ the scopes and memory tables compare per-process means
// (ratio of means), their headers saying so: ratios of sums would show a 1.5x change from the rank count
// alone.
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "planted_run.hpp"
#include "run_prof.hpp"

using prof::test::Planted;
using prof::test::run_prof;
using prof::test::RunDir;

namespace {

// `ranks` ranks of one program, each with work `seconds` s and a site peaking at `bytes` B.
void plant(RunDir& run, int ranks, double seconds, std::int64_t bytes,
           const std::string& program = "solver") {
  for (int r = 0; r < ranks; ++r) {
    auto text = prof::test::snapshot_text(
        Planted{.rank = r, .pid = 500 + r, .work_seconds = seconds, .peak_bytes = bytes, .calls = 4});
    for (auto [from, to] :
         {std::pair<std::string, std::string>{R"("size": 4)", fmt::format(R"("size": {})", ranks)},
          {R"("program": "solver")", fmt::format(R"("program": "{}")", program)}})
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    std::ofstream(run.path / fmt::format("{}.r{:04}.{}.prof.json", program, r, 500 + r)) << text;
  }
}

}  // namespace

TEST_CASE("prof diff of 2 ranks against 3 compares per-rank means and says so") {
  // Per rank: work 2 s in OLD, 3 s in NEW (ratio of means 1.5; of sums 4 s -> 9 s, 2.25); the site 100 B
  // in OLD, 300 B in NEW per rank; 4 calls of work per rank in both.
  RunDir old_run("ranks-old"), new_run("ranks-new");
  plant(old_run, 2, 2.0, 100);
  plant(new_run, 3, 3.0, 300);

  auto scopes = run_prof({"diff", old_run.str(), new_run.str(), "--scopes", "--format", "csv"});
  REQUIRE(scopes.exit_code == 0);
  CHECK(scopes.out ==
        "name,file,line,old_calls_per_process,new_calls_per_process,old_self_per_process_seconds,"
        "new_self_per_process_seconds,old_total_per_process_seconds,new_total_per_process_seconds,"
        "change_per_process_seconds,ratio\n"
        "work,app.cpp,10,4,4,2,3,2,3,1,1.5\n");
  CHECK_THAT(scopes.err, Catch::Contains("prof: note: the runs differ: ranks: 2 ranks against 3"));
  CHECK_THAT(scopes.err, !Catch::Contains("programs"));

  auto text = run_prof({"diff", old_run.str(), new_run.str(), "--scopes"});
  REQUIRE(text.exit_code == 0);
  // The notice first, then the table of means.
  CHECK_THAT(text.out, Catch::StartsWith("The runs differ\n"));
  CHECK_THAT(text.out, Catch::Contains("2 ranks against 3: scopes and memory compare per-process means"));
  CHECK_THAT(text.out, Catch::Contains("old/proc"));
  CHECK_THAT(text.out, Catch::Matches(R"((.|\n)*1\.50x +work(.|\n)*)"));
  CHECK_THAT(text.out, !Catch::Contains("2.25x"));

  auto json = run_prof({"diff", old_run.str(), new_run.str(), "--scopes", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains(R"("runs_differ": {)"));
  CHECK_THAT(json.out, Catch::Contains(R"("processes": "2 against 3")"));
  CHECK_THAT(json.out, Catch::Contains(R"("ratio": 1.5)"));

  auto mem = run_prof({"diff", old_run.str(), new_run.str(), "--mem", "--format", "csv"});
  REQUIRE(mem.exit_code == 0);
  CHECK(mem.out ==
        "file,line,function,old_size_per_process_bytes,size_per_process_bytes,size_diff_per_process_bytes,"
        "old_count_per_process,count_per_process,count_diff_per_process\n"
        "/src/app/solver.cpp,42,assemble,100,300,200,1,1,0\n");
  auto mem_text = run_prof({"diff", old_run.str(), new_run.str(), "--mem"});
  CHECK_THAT(mem_text.out, Catch::Contains("size/proc"));
  CHECK_THAT(mem_text.out, Catch::Contains("size=300 B"));

  // Without a table flag: the notice, then the processes' table.
  auto meta = run_prof({"diff", old_run.str(), new_run.str()});
  REQUIRE(meta.exit_code == 0);
  CHECK_THAT(meta.out, Catch::StartsWith("The runs differ\n"));
  CHECK_THAT(meta.out, Catch::Contains("Processes (NEW / OLD)"));
}

TEST_CASE("prof diff of two programs says so; of alike runs, nothing") {
  RunDir old_run("programs-old"), new_run("programs-new"), same("programs-same");
  plant(old_run, 2, 2.0, 100, "solver");
  plant(new_run, 2, 3.0, 100, "mesher");
  plant(same, 2, 3.0, 100, "solver");

  auto differ = run_prof({"diff", old_run.str(), new_run.str(), "--scopes"});
  REQUIRE(differ.exit_code == 0);
  CHECK_THAT(differ.out, Catch::StartsWith("The runs differ\n"));
  CHECK_THAT(differ.out, Catch::Contains("differ: OLD solver, NEW mesher"));
  CHECK_THAT(differ.out, !Catch::Contains("per-process"));                  // 2 against 2: sums, as before
  CHECK_THAT(differ.out, Catch::Matches(R"((.|\n)*1\.50x +work(.|\n)*)"));  // 6 s / 4 s

  auto alike = run_prof({"diff", old_run.str(), same.str(), "--scopes"});
  REQUIRE(alike.exit_code == 0);
  CHECK_THAT(alike.out, Catch::StartsWith("Scopes (NEW / OLD"));
  CHECK(alike.err.empty());
}
