// A job that does not finish cleanly (issue 16, items 3 and 6), under real `mpirun -np 3 prof run`: rank 1
// raises SIGSEGV after MPI_Init while ranks 0 and 2 wait for it in MPI_Barrier. Open MPI's own SIGSEGV
// handler runs instead of the shim's, so rank 1 writes nothing; mpirun then kills ranks 0 and 2 with SIGTERM,
// on which the shim writes their snapshots. `prof report` must name rank 1 as missing and say how the others
// ended, rather than merge two ranks as if they were the job.
#include <algorithm>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

TEST_CASE(
    "a rank killed by SIGSEGV under Open MPI: the survivors' snapshots, and the report names it missing") {
  if (sanitized_build()) {
    WARN("sanitized build: skipped (see mpi_test_support.hpp)");
    return;
  }
  TempDir dir;
  const ProcessResult run = mpirun_under_prof(3, dir.path(), {PROF_MPI_PROGRAMS_DIR "/mpi_rank_crash"});
  INFO(run.out << run.err);
  CHECK(run.exit_code != 0);  // mpirun reports the job failed
  CHECK(run.out.find("passed the barrier") == std::string::npos);
  // prof run of rank 1 says why it has no snapshot.
  CHECK(run.err.find("crashed with SIGSEGV") != std::string::npos);

  // Item 3: each survivor, killed by mpirun's SIGTERM while waiting in the collective, left its snapshot.
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  require_valid_snapshots(dir.path());
  std::vector<std::int64_t> ranks;
  for (const auto& file : files) {
    RankSnapshot s(file);
    ranks.push_back(s.meta_int("rank"));
    CHECK(s.meta_int("size") == 3);
    CHECK(std::string(std::string_view(s.doc["meta"]["exit"]["status"])) == "signaled");
    CHECK(std::string(std::string_view(s.doc["meta"]["exit"]["signal_name"])) == "SIGTERM");
  }
  std::sort(ranks.begin(), ranks.end());
  CHECK(ranks == std::vector<std::int64_t>{0, 2});

  // Item 6: the report's first line names rank 1 and how the others ended; --by-rank has its row.
  const ProcessResult report = run_clean({PROF_TEST_BIN_DIR "/prof", "report", dir.path().string()});
  INFO(report.out << report.err);
  REQUIRE(report.exit_code == 0);
  CHECK(report.out.starts_with(
      "warning: 2 of 3 ranks left a snapshot, rank 1 missing; rank 0: SIGTERM, rank 2: SIGTERM\n"));
  const ProcessResult by_rank =
      run_clean({PROF_TEST_BIN_DIR "/prof", "report", "--by-rank", "--format", "csv", dir.path().string()});
  INFO(by_rank.out);
  REQUIRE(by_rank.exit_code == 0);
  CHECK(by_rank.out.find("\n1,,,,,,,,,no snapshot\n") != std::string::npos);
  CHECK(by_rank.out.find(",SIGTERM\n") != std::string::npos);
}

}  // namespace prof::test
