// The MPI layer under an MPI it was not built for (issue 16): a program built with MPICH's mpicc.mpich, run
// with `mpirun.mpich -np 2 prof run` and PROF_MPI_LAYER=openmpi, gets the Open MPI build of libprof_mpi.so
// preloaded (as where the MPICH build is absent). Before the layer
// checked the library, it read MPICH's int handles as Open MPI pointers and every rank died with SIGSEGV.
// Skipped where MPICH is not installed beside Open MPI.
#include <algorithm>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

// Runs `program` plain and under prof run with mpirun.mpich -np 2; `rank_line(r)` is what rank r prints.
template <typename RankLine>
void check_steps_aside(const std::string& program, RankLine rank_line) {
  const std::string mpirun_mpich = PROF_TEST_MPIRUN_MPICH;
  if (sanitized_build() || mpirun_mpich.empty() || program.empty() || !std::filesystem::exists(program)) {
    WARN("sanitized build, or mpicc.mpich / mpifort.mpich / mpirun.mpich not installed: skipped");
    return;
  }
  const ProcessResult alone = run_clean({mpirun_mpich, "-np", "2", program});
  INFO(alone.out << alone.err);
  REQUIRE(alone.exit_code == 0);

  TempDir dir;
  // PROF_MPI_LAYER=openmpi: prof run would otherwise pick the MPICH build under MPICH's launcher.
  const ProcessResult traced =
      run_clean({mpirun_mpich, "-genv", "PROF_MPI_LAYER", "openmpi", "-np", "2", PROF_TEST_BIN_DIR "/prof",
                 "run", "-o", dir.path().string(), "--", program});
  INFO(traced.out << traced.err);
  CHECK(traced.exit_code == 0);
  CHECK(count_of(traced.out, rank_line(0)) == 1);
  CHECK(count_of(traced.out, rank_line(1)) == 1);
  // One line per rank, naming the library the program really uses.
  CHECK(count_of(traced.err, "prof: libprof_mpi.so was built for Open MPI but this program uses ") == 2);
  CHECK(count_of(traced.err, "libmpich") == 2);
  CHECK(traced.err.find("SIGSEGV") == std::string::npos);

  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  require_valid_snapshots(dir.path());
  std::vector<std::int64_t> ranks;
  for (const auto& file : files) {
    RankSnapshot s(file);
    ranks.push_back(s.meta_int("rank"));  // from Hydra's PMI_RANK: MPI_Init was not ours to confirm it
    CHECK_FALSE(s.has("mpi"));            // nothing recorded against a foreign library
  }
  std::sort(ranks.begin(), ranks.end());
  CHECK(ranks == std::vector<std::int64_t>{0, 1});
}

}  // namespace

TEST_CASE("under MPICH the Open MPI layer steps aside: the ranks run as without it, one line each") {
  check_steps_aside(PROF_TEST_MPICH_PROGRAM,
                    [](int rank) { return "rank " + std::to_string(rank) + " of 2: sum 3\n"; });
}

TEST_CASE("under MPICH the Fortran entry points step aside too (mpifort.mpich, `use mpi`)") {
  check_steps_aside(PROF_TEST_MPICH_FORTRAN_PROGRAM,
                    [](int rank) { return "rank " + std::to_string(rank) + ": sum 3.0\n"; });
}

}  // namespace prof::test
