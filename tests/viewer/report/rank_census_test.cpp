// An MPI job whose ranks did not all finish: 3 snapshots of a job of 4 ranks, one of them killed by SIGSEGV.
// The report must say that rank 2 is missing and how rank 3 ended, at the top and in the processes and
// --by-rank sections, rather than merge 3 ranks as if they were the job.
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "planted_run.hpp"
#include "read/snapshot_files.hpp"
#include "read/snapshot_reader.hpp"
#include "report/processes/rank_census.hpp"
#include "run_prof.hpp"

using namespace prof::viewer;
using prof::test::Planted;
using prof::test::run_prof;
using prof::test::RunDir;

namespace {

constexpr const char* kExited = R"("exit": {"status": "exited", "code": 0})";
constexpr const char* kSignaled = R"("exit": {"status": "signaled", "signal": 11, "signal_name": "SIGSEGV"})";

// Ranks 0, 1 and 3 of 4 (rank 2 left nothing); rank 3 died of SIGSEGV after writing (the shim's handler).
void three_of_four(RunDir& dir) {
  for (int r : {0, 1, 3}) {
    std::string text = prof::test::snapshot_text({.rank = r, .pid = 100 + r, .bcast_ns = 1'000'000});
    if (r == 3) {
      auto at = text.find(kExited);
      REQUIRE(at != std::string::npos);
      text.replace(at, std::string(kExited).size(), kSignaled);
    }
    std::ofstream(dir.path / fmt::format("solver.r{:04}.{}.prof.json", r, 100 + r)) << text;
  }
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("rank census: the job's size from the metas, the ranks missing and how each ended") {
  RunDir dir("census");
  three_of_four(dir);
  std::vector<Snapshot> processes;
  for (const auto& file : list_snapshot_files({dir.str()}))
    processes.push_back(read_snapshot_file(file.path));
  auto census = rank_census(processes);
  CHECK(census.size == 4);
  CHECK(census.present == std::vector<std::int64_t>{0, 1, 3});
  CHECK(census.missing == std::vector<std::int64_t>{2});
  CHECK(census.endings == std::vector<std::string>{"rank 3: SIGSEGV"});
  CHECK(rank_census_warning(census) == "3 of 4 ranks left a snapshot, rank 2 missing; rank 3: SIGSEGV");
  CHECK(rank_list({0, 2, 3, 4, 5, 9}) == "0,2-5,9");
  // How a rank ended, as the --by-rank column and the warning say it.
  CHECK(ending_text({.kind = ExitStatus::Kind::exited, .code = 3, .signal = 0, .signal_name = ""}) ==
        "exit 3");
  CHECK(ending_text({.kind = ExitStatus::Kind::signaled, .code = 0, .signal = 6, .signal_name = "SIGABRT"}) ==
        "aborted (SIGABRT)");
  CHECK(ending_text({.kind = ExitStatus::Kind::signaled, .code = 0, .signal = 9, .signal_name = ""}) ==
        "signal 9");
}

TEST_CASE("rank census: a whole job that ended well says nothing") {
  RunDir dir("census-whole");
  for (int r = 0; r < 4; ++r)
    dir.add({.rank = r, .pid = 100 + r});
  auto text = run_prof({"report", dir.str()});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("warning:") == std::string::npos);
  CHECK(text.out.find("4 of 4") != std::string::npos);
}

TEST_CASE("prof report of a partial job: a warning line first, the missing rank in processes and --by-rank") {
  RunDir dir("census-report");
  three_of_four(dir);
  auto report = run_prof({"report", dir.str()});
  INFO(report.out << report.err);
  REQUIRE(report.exit_code == 0);
  CHECK(report.out.starts_with("warning: 3 of 4 ranks left a snapshot, rank 2 missing; rank 3: SIGSEGV\n"));
  CHECK(report.out.find("3 of 4") != std::string::npos);  // the processes section's fact

  auto json = run_prof({"report", "--meta", "--format", "json", dir.str()});
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find(R"("missing_ranks")") != std::string::npos);
  CHECK(json.out.find(R"("ranks")") != std::string::npos);

  auto by_rank = run_prof({"report", "--by-rank", "--format", "csv", dir.str()});
  INFO(by_rank.out);
  REQUIRE(by_rank.exit_code == 0);
  // One row per rank of the job, the missing one in its place, each saying how it ended.
  CHECK(count_of(by_rank.out, "exit 0") == 2);
  CHECK(count_of(by_rank.out, "SIGSEGV") == 1);
  CHECK(count_of(by_rank.out, "no snapshot") == 1);
  auto row2 = by_rank.out.find("\n2,");
  auto row3 = by_rank.out.find("\n3,");
  REQUIRE(row2 != std::string::npos);
  REQUIRE(row3 != std::string::npos);
  CHECK(row2 < row3);
  CHECK(by_rank.out.substr(row2, by_rank.out.find('\n', row2 + 1) - row2).ends_with("no snapshot"));
}
