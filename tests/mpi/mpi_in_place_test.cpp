// MPI_IN_PLACE in the all-to-all-style collectives (programs/mpi_in_place.cpp): each rank's contribution is
// read from its receive buffer and still goes out, so it is counted as sent (docs/SNAPSHOT.md, `mpi`).
// Exact bytes on each rank, with 2 and 4 ranks. The program links libprof::mpi and runs under plain mpirun.
#include <cstdlib>
#include <map>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

namespace {

struct Expected {
  std::int64_t sent, received;
};

std::map<std::string, Expected> expected_for(std::int64_t r, std::int64_t n) {
  const std::int64_t triangle = n * (n + 1) / 2;  // sum of i + 1 over the ranks
  return {
      {"MPI_Allreduce", {8000, 8000}},
      {"MPI_Allgather", {12, 12 * n}},
      {"MPI_Allgatherv", {4 * (r + 1), 4 * triangle}},
      {"MPI_Alltoall", {8 * n, 8 * n}},
      {"MPI_Alltoallv", {8 * n, 8 * n}},
      {"MPI_Reduce_scatter", {8 * n, 8}},
  };
}

void run_in_place(int ranks) {
  TempDir dir;
  std::vector<std::string> argv = mpirun(ranks);
  if (sanitized_build()) {  // the Open MPI runtime never frees some of its memory
    const char* options = std::getenv("ASAN_OPTIONS");
    argv.insert(argv.end(),
                {"-x", std::string("ASAN_OPTIONS=") + (options ? options : "") + ":detect_leaks=0"});
  }
  argv.insert(argv.end(),
              {"-x", "PROF_OUTPUT=" + dir.path().string(), PROF_MPI_PROGRAMS_DIR "/mpi_in_place"});
  const ProcessResult result = run_clean(argv);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == static_cast<std::size_t>(ranks));
  for (const auto& file : files) {
    RankSnapshot s(file);
    const std::int64_t rank = s.meta_int("rank");
    for (const auto& [name, expected] : expected_for(rank, ranks)) {
      INFO(ranks << " ranks, rank " << rank << ", " << name);
      const MpiOperation measured = s.operation(name);
      CHECK(measured.calls == 1);
      CHECK(measured.bytes_sent == expected.sent);
      CHECK(measured.bytes_received == expected.received);
    }
  }
}

}  // namespace

TEST_CASE(
    "MPI_IN_PLACE in Allreduce, Allgather(v), Alltoall(v), Reduce_scatter counts what each rank sends") {
  run_in_place(2);
  run_in_place(4);
}

}  // namespace prof::test
