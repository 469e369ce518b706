// Every wrapped call's bytes, exactly, on each of 4 ranks (programs/mpi_every_call.cpp: ints are 4 bytes,
// longs and doubles 8; rank i passes i + 1 elements to the v variants). The program links libprof::mpi and
// runs under plain mpirun, so this also runs in the sanitized build. The Fortran twin of the program runs
// under prof run.
#include <cstdlib>
#include <map>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

namespace {

struct Expected {
  std::int64_t calls, sent, received;  // calls -1: at least one (a polling loop)
};

std::map<std::string, Expected> expected_for(std::int64_t r, std::int64_t n) {
  const std::int64_t triangle = n * (n + 1) / 2;  // sum of i + 1 over the ranks
  const bool root = r == 0;
  return {
      {"MPI_Init_thread", {1, 0, 0}},
      {"MPI_Finalize", {1, 0, 0}},
      {"MPI_Isend", {3, 4 * (10 + 5 + 1), 0}},
      {"MPI_Recv", {1, 0, 4 * 10}},
      {"MPI_Irecv", {3, 0, 4 * (20 + 5 + 1)}},
      {"MPI_Send", {1, 4 * 20, 0}},
      {"MPI_Sendrecv", {1, 4 * 30, 4 * 30}},
      {"MPI_Wait", {2, 0, 0}},
      {"MPI_Waitall", {1, 0, 0}},
      {"MPI_Waitany", {1, 0, 0}},
      {"MPI_Waitsome", {1, 0, 0}},
      {"MPI_Probe", {1, 0, 0}},
      {"MPI_Bcast", {1, r == 1 ? 64 : 0, r == 1 ? 0 : 64}},
      {"MPI_Reduce", {2, root ? 24 : 48, root ? 48 : 0}},
      {"MPI_Allreduce", {2, 32, 32}},  // in place too: the contribution goes out
      {"MPI_Gather", {1, 8, root ? 8 * n : 0}},
      {"MPI_Gatherv", {1, 4 * (r + 1), root ? 4 * triangle : 0}},
      {"MPI_Scatter", {1, root ? 12 * n : 0, 12}},
      {"MPI_Scatterv", {1, root ? 4 * triangle : 0, 4 * (r + 1)}},
      {"MPI_Allgather", {1, 8, 8 * n}},
      {"MPI_Allgatherv", {1, 4 * (r + 1), 4 * triangle}},
      {"MPI_Alltoall", {1, 4 * n, 4 * n}},
      {"MPI_Alltoallv", {1, 8 * n, 8 * n}},
      {"MPI_Reduce_scatter", {1, 8 * n, 8}},
      {"MPI_Barrier", {1, 0, 0}},
  };
}

// The C program also makes every call generated from libprof/src/mpi/generated_calls.hpp once (its ready
// sends post two more MPI_Irecv of 9 and 3 ints).
std::map<std::string, Expected> expected_for_c(std::int64_t r, std::int64_t n) {
  const std::int64_t triangle = n * (n + 1) / 2;
  const bool root = r == 0;
  std::map<std::string, Expected> expected = expected_for(r, n);
  expected["MPI_Irecv"] = {5, 0, 4 * (20 + 5 + 1 + 9 + 3)};
  const std::map<std::string, Expected> generated = {
      {"MPI_Ssend", {1, 4 * 6, 0}},
      {"MPI_Issend", {1, 4 * 7, 0}},
      {"MPI_Bsend", {1, 4 * 8, 0}},
      {"MPI_Ibsend", {1, 4 * 5, 0}},
      {"MPI_Rsend", {1, 4 * 9, 0}},
      {"MPI_Irsend", {1, 4 * 3, 0}},
      {"MPI_Mprobe", {3, 0, 0}},
      {"MPI_Mrecv", {3, 0, 4 * (6 + 8 + 5)}},
      {"MPI_Improbe", {-1, 0, 0}},
      {"MPI_Imrecv", {1, 0, 4 * 7}},
      {"MPI_Iprobe", {-1, 0, 0}},
      {"MPI_Testall", {-1, 0, 0}},
      {"MPI_Testany", {-1, 0, 0}},
      {"MPI_Testsome", {-1, 0, 0}},
      {"MPI_Scan", {1, 16, 16}},
      {"MPI_Exscan", {1, 16, 16}},
      {"MPI_Reduce_scatter_block", {1, 8 * n, 8}},
      {"MPI_Iallreduce", {1, 16, 16}},
      {"MPI_Ibcast", {1, r == 1 ? 64 : 0, r == 1 ? 0 : 64}},
      {"MPI_Ireduce", {1, 24, root ? 24 : 0}},
      {"MPI_Igather", {1, 8, root ? 8 * n : 0}},
      {"MPI_Igatherv", {1, 4 * (r + 1), root ? 4 * triangle : 0}},
      {"MPI_Iscatter", {1, root ? 12 * n : 0, 12}},
      {"MPI_Iscatterv", {1, root ? 4 * triangle : 0, 4 * (r + 1)}},
      {"MPI_Iallgather", {1, 8, 8 * n}},
      {"MPI_Iallgatherv", {1, 4 * (r + 1), 4 * triangle}},
      {"MPI_Ialltoall", {1, 4 * n, 4 * n}},
      {"MPI_Ialltoallv", {1, 8 * n, 8 * n}},
      {"MPI_Ireduce_scatter", {1, 8 * n, 8}},
      {"MPI_Ireduce_scatter_block", {1, 8 * n, 8}},
      {"MPI_Iscan", {1, 16, 16}},
      {"MPI_Iexscan", {1, 16, 16}},
      {"MPI_Ibarrier", {2, 0, 0}},
      {"MPI_Put", {1, 4 * 4, 0}},
      {"MPI_Get", {1, 0, 4 * 3}},
      {"MPI_Win_fence", {3, 0, 0}},
      {"MPI_File_write", {1, 5 * 4, 0}},
      {"MPI_File_write_all", {1, 3 * 8, 0}},
      {"MPI_File_read", {1, 0, 5 * 4}},
      {"MPI_File_read_all", {1, 0, 3 * 8}},
  };
  expected.insert(generated.begin(), generated.end());
  return expected;
}

// Each of the 4 ranks' snapshots in `dir` holds exactly the calls and bytes of expected_for.
void check_every_call(const std::filesystem::path& dir, bool c_program) {
  const auto files = snapshot_files(dir);
  REQUIRE(files.size() == 4);
  require_valid_snapshots(dir);
  for (const auto& file : files) {
    RankSnapshot s(file);
    const std::int64_t rank = s.meta_int("rank");
    CHECK(s.meta_text("rank_source") == "MPI_Init");
    for (const auto& [name, expected] : c_program ? expected_for_c(rank, 4) : expected_for(rank, 4)) {
      INFO("rank " << rank << ", " << name);
      const MpiOperation measured = s.operation(name);
      if (expected.calls < 0)
        CHECK(measured.calls >= 1);
      else
        CHECK(measured.calls == expected.calls);
      CHECK(measured.bytes_sent == expected.sent);
      CHECK(measured.bytes_received == expected.received);
      CHECK(s.scope_total_ns(name, "") >= 0);  // and a scope of the same name at the root of the tree
    }
    const MpiOperation test = s.operation("MPI_Test");
    CHECK(test.calls >= 1);
    CHECK(test.bytes_sent + test.bytes_received == 0);
    CHECK(s.operation("MPI_Init").calls == 0);  // MPI_Init_thread is its own operation
  }
}

}  // namespace

TEST_CASE("every wrapped call counts its calls and the bytes of the buffers this rank passed") {
  TempDir dir;
  std::vector<std::string> argv = mpirun(4);
  if (sanitized_build()) {  // the Open MPI runtime never frees some of its memory
    const char* options = std::getenv("ASAN_OPTIONS");
    argv.insert(argv.end(),
                {"-x", std::string("ASAN_OPTIONS=") + (options ? options : "") + ":detect_leaks=0"});
  }
  argv.insert(argv.end(),
              {"-x", "PROF_OUTPUT=" + dir.path().string(), PROF_MPI_PROGRAMS_DIR "/mpi_every_call"});
  const ProcessResult result = run_clean(argv);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  check_every_call(dir.path(), true);
}

// The same calls from Fortran (programs/fortran_every_call.F90, built by mpifort), under prof run: the
// layer's Fortran entry points count them as the C ones, each binding's handles converted to C's for the
// sizes.
TEST_CASE("every wrapped call from Fortran, `use mpi` and `use mpi_f08`, counts as from C") {
  for (const std::string binding : {"mpi", "f08"}) {
    const std::filesystem::path program =
        std::filesystem::path(PROF_MPI_PROGRAMS_DIR) / ("fortran_every_call_" + binding);
    if (sanitized_build() || !std::filesystem::exists(program)) {
      WARN("sanitized build, or mpifort not installed: skipped");
      return;
    }
    INFO("use " << (binding == "f08" ? "mpi_f08" : "mpi"));
    TempDir dir;
    const ProcessResult traced = mpirun_under_prof(4, dir.path(), {program.string()});
    INFO(traced.out << traced.err);
    REQUIRE(traced.exit_code == 0);
    check_every_call(dir.path(), false);
  }
}

// The same C program built with MPICH's mpicxx.mpich and run with `mpirun.mpich -np 4 prof run`: prof run
// preloads the MPICH build of the layer (libprof_mpi_mpich.so), which reads MPICH's handles and constants,
// so every call and byte is as under Open MPI. Skipped where MPICH is not installed beside Open MPI.
TEST_CASE("under MPICH's launcher, prof run preloads the MPICH layer: every call and byte exact") {
  const std::string mpirun_mpich = PROF_TEST_MPIRUN_MPICH;
  const std::string program = PROF_TEST_MPICH_EVERY_CALL;
  if (sanitized_build() || mpirun_mpich.empty() || program.empty() || !std::filesystem::exists(program)) {
    WARN("sanitized build, or mpicxx.mpich / mpirun.mpich / pkg-config mpich not installed: skipped");
    return;
  }
  TempDir dir;
  const ProcessResult traced = run_clean(
      {mpirun_mpich, "-np", "4", PROF_TEST_BIN_DIR "/prof", "run", "-o", dir.path().string(), "--", program});
  INFO(traced.out << traced.err);
  REQUIRE(traced.exit_code == 0);
  CHECK(traced.err.find("was built for") == std::string::npos);  // no layer stepped aside
  check_every_call(dir.path(), true);
  for (const auto& file : snapshot_files(dir.path()))
    CHECK(RankSnapshot(file).has("mpi"));
}

}  // namespace prof::test
