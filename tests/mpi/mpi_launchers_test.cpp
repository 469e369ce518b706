// Ranks named from the launcher's environment (issue 16, item 7): MPICH's Hydra (mpirun.mpich,
// mpiexec.hydra) sets PMI_RANK/PMI_SIZE and no Open MPI variable; each rank's snapshot must still carry its
// rank in its file name and meta, with rank_source saying where it came from. (Slurm's SLURM_PROCID and
// PMIx are checked on crafted environments in tests/core/process_meta_test.cpp: no Slurm here.)
#include <algorithm>
#include <cstdio>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

TEST_CASE("under Hydra (mpirun.mpich) the ranks are named from PMI_RANK and PMI_SIZE") {
  const std::string mpirun_mpich = PROF_TEST_MPIRUN_MPICH;
  const std::string program = PROF_TEST_MPICH_PROGRAM;
  if (sanitized_build() || mpirun_mpich.empty() || program.empty() || !std::filesystem::exists(program)) {
    WARN("sanitized build, or mpicc.mpich / mpirun.mpich not installed: skipped");
    return;
  }
  // --no-mpi: the MPI layer, when one for MPICH is built, confirms the rank at MPI_Init and says so in
  // rank_source; without it the launcher's environment is all the shim has, from the first instruction.
  TempDir dir;
  const ProcessResult run = run_clean({mpirun_mpich, "-np", "3", PROF_TEST_BIN_DIR "/prof", "run", "--no-mpi",
                                       "-o", dir.path().string(), "--", program});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 3);
  require_valid_snapshots(dir.path());
  std::vector<std::int64_t> ranks;
  for (const auto& file : files) {
    RankSnapshot s(file);
    const std::int64_t rank = s.meta_int("rank");
    ranks.push_back(rank);
    INFO(file.filename().string());
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "mpich_allreduce.r%04lld.", static_cast<long long>(rank));
    CHECK(file.filename().string().starts_with(prefix));
    CHECK(s.meta_int("size") == 3);
    CHECK(s.meta_text("rank_source") == "PMI_RANK");
  }
  std::sort(ranks.begin(), ranks.end());
  CHECK(ranks == std::vector<std::int64_t>{0, 1, 2});
  // The report sees the whole job: no warning.
  const ProcessResult report = run_clean({PROF_TEST_BIN_DIR "/prof", "report", dir.path().string()});
  REQUIRE(report.exit_code == 0);
  CHECK_FALSE(report.out.starts_with("warning:"));
}

}  // namespace prof::test
