// Fortran programs under `mpirun -np 2 prof run` (issue 16): Open MPI's Fortran bindings call the C PMPI_*
// functions directly, so before the layer defined the Fortran names a Fortran rank had no `mpi` section.
// The same program through `use mpi` (mpi_allreduce_) and `use mpi_f08` (mpi_allreduce_f08_): 10
// MPI_Allreduce of 1000 doubles per rank, then an MPI_Reduce whose root passes MPI_IN_PLACE. Skipped without
// mpifort.
#include <sstream>

#include "mpi_test_support.hpp"
#include "temp_dir.hpp"

namespace prof::test {

namespace {

// The program mpifort built for the binding, or "" (PROF_TEST_FORTRAN_* are empty without mpifort).
std::string fortran_program(const std::string& binding) {
  const std::string path = binding == "f08"     ? PROF_TEST_FORTRAN_F08
                           : binding == "mixed" ? PROF_TEST_FORTRAN_MIXED
                                                : PROF_TEST_FORTRAN_MPI;
  return !path.empty() && std::filesystem::exists(path) ? path : "";
}

// One CSV row of `prof report --mpi --format csv`: name,calls,bytes_sent_bytes,bytes_received_bytes,...
std::vector<std::string> csv_row(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(name + ",")) continue;
    std::vector<std::string> cells;
    std::istringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, ',');)
      cells.push_back(cell);
    return cells;
  }
  return {};
}

void check_fortran_binding(const std::string& binding) {
  const std::string program = fortran_program(binding);
  if (sanitized_build() || program.empty()) {
    WARN("sanitized build, or mpifort not installed: skipped");
    return;
  }
  TempDir dir;
  const ProcessResult traced = mpirun_under_prof(2, dir.path(), {program});
  INFO(traced.out << traced.err);
  REQUIRE(traced.exit_code == 0);
  CHECK(traced.out.find("rank 0: sum 3.0") != std::string::npos);
  CHECK(traced.out.find("rank 1: sum 3.0") != std::string::npos);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  require_valid_snapshots(dir.path());
  for (const auto& file : files) {
    RankSnapshot s(file);
    const std::int64_t rank = s.meta_int("rank");
    INFO("rank " << rank);
    CHECK(s.meta_text("rank_source") == "MPI_Init");  // MPI_Init from Fortran started the recording
    const MpiOperation allreduce = s.operation("MPI_Allreduce");
    CHECK(allreduce.calls == 10);
    CHECK(allreduce.bytes_sent == 10 * 8000);
    CHECK(allreduce.bytes_received == 10 * 8000);
    CHECK(s.scope_total_ns("MPI_Allreduce", "") > 0);  // a scope named as in C
    // The root reduces in place: Fortran's MPI_IN_PLACE is not a buffer of 8000 bytes it sends.
    const MpiOperation reduce = s.operation("MPI_Reduce");
    CHECK(reduce.calls == 1);
    CHECK(reduce.bytes_sent == (rank == 0 ? 0 : 8000));
    CHECK(reduce.bytes_received == (rank == 0 ? 8000 : 0));
    CHECK(s.operation("MPI_Init").calls == 1);
    CHECK(s.operation("MPI_Finalize").calls == 1);
  }
  // What users read: 20 calls over 2 ranks, 8000 bytes sent by each call.
  const ProcessResult report =
      run_clean({PROF_TEST_BIN_DIR "/prof", "report", "--mpi", "--format", "csv", dir.path().string()});
  INFO(report.out << report.err);
  REQUIRE(report.exit_code == 0);
  const auto row = csv_row(report.out, "MPI_Allreduce");
  REQUIRE(row.size() >= 4);
  CHECK(row[1] == "20");
  CHECK(row[2] == "160000");
  CHECK(row[3] == "160000");
}

// The scope tree's nodes of the first thread named `name`: their number and their calls.
std::pair<int, std::int64_t> scope_nodes(RankSnapshot& s, const std::string& name) {
  simdjson::dom::object scopes = s.doc["scopes"];
  std::vector<std::string> site_names;
  for (auto row : simdjson::dom::array(scopes["sites"]["rows"]))
    site_names.push_back(s.string_at(std::int64_t(simdjson::dom::array(row).at(0))));
  int nodes = 0;
  std::int64_t calls = 0;
  for (auto row_value :
       simdjson::dom::array(simdjson::dom::array(scopes["threads"]).at(0)["nodes"]["rows"])) {
    simdjson::dom::array row = row_value;  // parent, site, calls, ...
    if (site_names.at(std::size_t(std::int64_t(row.at(1)))) != name) continue;
    ++nodes;
    calls += std::int64_t(row.at(2));
  }
  return {nodes, calls};
}

}  // namespace

TEST_CASE("Fortran and C calls of one program are one operation and one scope, MPI_Allreduce") {
  const std::string program = fortran_program("mixed");
  if (sanitized_build() || program.empty()) {
    WARN("sanitized build, or mpifort not installed: skipped");
    return;
  }
  TempDir dir;
  const ProcessResult traced = mpirun_under_prof(2, dir.path(), {program});
  INFO(traced.out << traced.err);
  REQUIRE(traced.exit_code == 0);
  const auto files = snapshot_files(dir.path());
  REQUIRE(files.size() == 2);
  for (const auto& file : files) {
    RankSnapshot s(file);
    const MpiOperation allreduce = s.operation("MPI_Allreduce");
    CHECK(allreduce.calls == 10);  // 5 from Fortran, 5 from C
    CHECK(allreduce.bytes_sent == 10 * 8000);
    CHECK(allreduce.bytes_received == 10 * 8000);
    CHECK(scope_nodes(s, "MPI_Allreduce") == std::pair<int, std::int64_t>{1, 10});
  }
}

TEST_CASE("Fortran `use mpi`: every MPI_Allreduce is a scope and counted with its bytes on each rank") {
  check_fortran_binding("mpi");
}

TEST_CASE("Fortran `use mpi_f08`: every MPI_Allreduce is a scope and counted with its bytes on each rank") {
  check_fortran_binding("f08");
}

}  // namespace prof::test
