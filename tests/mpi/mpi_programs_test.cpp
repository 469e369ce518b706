// The samples, mpi4py and a program linking libprof::mpi under real mpirun; the MPI layer preloaded into a
// program without MPI; prof run's --mpi / --no-mpi.
#include <algorithm>
#include <set>
#include <sstream>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

namespace {

const std::string kProf = PROF_TEST_BIN_DIR "/prof";

std::multiset<std::string> lines_of(const std::string& text) {
  std::multiset<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.insert(line);
  return lines;
}

std::int64_t count_with_rank(const std::vector<std::filesystem::path>& files, int rank) {
  char tag[16];
  std::snprintf(tag, sizeof tag, ".r%04d.", rank);
  return std::count_if(files.begin(), files.end(),
                       [&](const auto& f) { return f.filename().string().find(tag) != std::string::npos; });
}

}  // namespace

TEST_CASE("mpi_broadcast_gather: same output and exit code under prof run, one snapshot per rank") {
  if (sanitized_build()) return;
  const std::vector<std::string> program = {PROF_TEST_BIN_DIR "/mpi_broadcast_gather", "20000"};
  std::vector<std::string> plain = mpirun(4);
  plain.insert(plain.end(), program.begin(), program.end());
  const ProcessResult alone = run_clean(plain);
  TempDir dir;
  const ProcessResult traced = mpirun_under_prof(4, dir.path(), program);
  INFO(traced.out << traced.err);
  REQUIRE(alone.exit_code == 0);
  CHECK(traced.exit_code == alone.exit_code);
  CHECK(lines_of(traced.out) == lines_of(alone.out));
  CHECK(traced.out.find("correct") != std::string::npos);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 4);
  for (int rank = 0; rank < 4; ++rank)
    CHECK(count_with_rank(files, rank) == 1);
  require_valid_snapshots(dir.path());
  RankSnapshot root(files.front());
  CHECK(root.operation("MPI_Bcast").bytes_sent == 4 * 20000 * 8);
  CHECK(root.operation("MPI_Gather").bytes_received == 4 * 20000 * 8);
  CHECK(root.scope_total_ns("work_on_slice", "") > 0);
}

TEST_CASE("mpi_combined: ranks with forked workers, one snapshot per rank and per worker") {
  if (sanitized_build()) return;
  TempDir dir;
  const ProcessResult traced =
      mpirun_under_prof(4, dir.path(), {PROF_TEST_BIN_DIR "/mpi_combined", "3", "60000"});
  INFO(traced.out << traced.err);
  REQUIRE(traced.exit_code == 0);
  CHECK(traced.out.find("correct") != std::string::npos);
  const auto files = snapshot_files(dir.path());
  CHECK(files.size() == 4 * (1 + 3));
  for (int rank = 0; rank < 4; ++rank)
    CHECK(count_with_rank(files, rank) == 4);  // the rank and its three workers
  require_valid_snapshots(dir.path());
  int workers = 0;
  for (const auto& file : files) {
    RankSnapshot s(file);
    if (s.scope_total_ns("worker", "*") < 0) continue;
    ++workers;
    CHECK(s.operation("MPI_Bcast").calls == 0);  // a fork child counts from zero and calls no MPI
  }
  CHECK(workers == 12);
}

TEST_CASE("mpi4py: a Bcast from Python is recorded on both ranks") {
  if (sanitized_build()) return;
  if (run_clean({"/usr/bin/python3", "-c", "import mpi4py"}).exit_code != 0) {
    WARN("python3-mpi4py is not installed (.ci/install-deps installs it): skipped");
    return;
  }
  TempDir dir;
  const ProcessResult traced = mpirun_under_prof(
      2, dir.path(), {"/usr/bin/python3", PROF_TEST_SOURCE_DIR "/tests/mpi/programs/bcast.py"});
  INFO(traced.out << traced.err);
  REQUIRE(traced.exit_code == 0);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  require_valid_snapshots(dir.path());
  std::set<std::int64_t> ranks;
  for (const auto& file : files) {
    RankSnapshot s(file);
    const std::int64_t rank = s.meta_int("rank");
    ranks.insert(rank);
    CHECK(s.meta_int("size") == 2);
    CHECK(s.meta_text("rank_source") == "MPI_Init");
    const MpiOperation bcast = s.operation("MPI_Bcast");
    CHECK(bcast.calls == 1);
    CHECK(bcast.bytes_sent + bcast.bytes_received == 400);  // 100 ints
    CHECK(s.scope_total_ns("MPI_Bcast", "") >= 0);
  }
  CHECK(ranks == std::set<std::int64_t>{0, 1});
}

TEST_CASE("a program linking libprof::mpi writes its mpi section under plain mpirun") {
  // No shim here, so this one runs in the sanitized build too; LeakSanitizer is off for the Open MPI
  // runtime's own allocations, which it never frees.
  TempDir dir;
  std::vector<std::string> argv = mpirun(2);
  if (sanitized_build()) {
    const char* options = std::getenv("ASAN_OPTIONS");
    argv.insert(argv.end(),
                {"-x", std::string("ASAN_OPTIONS=") + (options ? options : "") + ":detect_leaks=0"});
  }
  argv.insert(argv.end(), {"-x", "PROF_OUTPUT=" + dir.path().string(), PROF_MPI_PROGRAMS_DIR "/mpi_linked"});
  const ProcessResult result = run_clean(argv);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  require_valid_snapshots(dir.path());
  for (const auto& file : files) {
    RankSnapshot s(file);
    CHECK(s.meta_text("writer") == "library");
    CHECK(s.meta_text("rank_source") == "MPI_Init");
    const MpiOperation allreduce = s.operation("MPI_Allreduce");
    CHECK(allreduce.calls == 1);
    CHECK(allreduce.bytes_sent == 64 * 8);
    CHECK(allreduce.bytes_received == 64 * 8);
    CHECK(s.scope_total_ns("MPI_Allreduce", "reduce step") >= 0);
  }
}

TEST_CASE("prof run --mpi on a program without MPI changes nothing and loads no MPI library") {
  if (sanitized_build()) return;  // the sanitized program defines malloc: the shim lists no modules then
  TempDir dir;
  const ProcessResult result =
      run_clean({kProf, "run", "--mpi", "-o", dir.path().string(), "--", PROF_MPI_PROGRAMS_DIR "/no_mpi"});
  INFO(result.err);
  CHECK(result.exit_code == 5);
  CHECK(result.out == "no MPI here\n");
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 1);
  RankSnapshot s(files.front());
  CHECK_FALSE(s.has("mpi"));
  bool layer = false, libmpi = false;
  for (auto module : simdjson::dom::array(s.doc["modules"])) {
    const std::string path{std::string_view(module["path"])};
    layer = layer || path.find("libprof_mpi.so") != std::string::npos;
    libmpi = libmpi || path.find("libmpi") != std::string::npos;
  }
  CHECK(layer);
  CHECK_FALSE(libmpi);
}

TEST_CASE("prof run --no-follow --mpi: the children load neither the shim nor the MPI layer") {
  if (sanitized_build()) return;
  TempDir dir;
  // The child prints its LD_PRELOAD: nothing of libprof may be left in it, and only sh leaves a snapshot.
  const ProcessResult result =
      run_clean({kProf, "run", "--no-follow", "--mpi", "-o", dir.path().string(), "--", "/bin/sh", "-c",
                 "/usr/bin/env | grep ^LD_PRELOAD= ; exit 0"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("libprof") == std::string::npos);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 1);
  CHECK(files.front().filename().string().rfind("sh.", 0) == 0);
}

TEST_CASE("prof run: --mpi and --no-mpi exclude each other, --help mentions them") {
  const ProcessResult both = run_clean({kProf, "run", "--mpi", "--no-mpi", "--", "/bin/true"});
  CHECK(both.exit_code == 2);
  CHECK(both.err.rfind("prof: error: ", 0) == 0);
  const ProcessResult help = run_clean({kProf, "run", "--help"});
  CHECK(help.out.find("--no-mpi") != std::string::npos);
  CHECK(help.out.find("libprof_mpi.so") != std::string::npos);
}

}  // namespace prof::test
