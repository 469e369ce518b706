#include <catch2/catch.hpp>

#include "error.hpp"
#include "fixtures.hpp"
#include "read/snapshot_reader.hpp"

using namespace prof::viewer;
using prof::test::fixture;

TEST_CASE("the reader puts every planted value of a full snapshot into the model") {
  auto s = read_snapshot_file(fixture("solver.1001.prof.json"));
  CHECK(s.version == 1);
  CHECK(s.meta.program == "solver");
  CHECK(s.meta.exe == "/opt/app/bin/solver");
  CHECK(s.meta.argv == std::vector<std::string>{"solver", "--size", "64"});
  CHECK(s.meta.pid == 1001);
  CHECK(s.meta.ppid == 1000);
  CHECK(s.meta.wall_seconds == 2.5);
  CHECK(s.meta.user_seconds == 3.25);
  CHECK(s.meta.system_seconds == 0.5);
  CHECK(s.meta.max_rss_bytes == 1572864);
  CHECK(s.meta.exit.kind == ExitStatus::Kind::exited);
  CHECK(s.meta.clock.source == "tsc");
  CHECK(s.meta.clock.tsc_hz == 2.45e9);
  CHECK(s.meta.rank == 0);
  CHECK(s.meta.size == 2);
  CHECK(s.meta.rank_source == "OMPI_COMM_WORLD_RANK");
  CHECK(s.meta.threads_seen == 4);
  CHECK(s.meta.cpus_allowed == 8);
  CHECK(s.meta.env.at("OMP_NUM_THREADS") == "4");
  CHECK_FALSE(s.meta.label.has_value());

  REQUIRE(s.strings.size() == 7);
  REQUIRE(s.frames.size() == 4);
  CHECK(s.string(s.frames[0].function) == "allocate_matrix");
  CHECK(s.string(s.frames[0].file) == "matrix.hpp");
  CHECK(s.frames[0].line == 42);
  CHECK(s.frames[0].offset == 4096);
  CHECK(s.modules.at(0).base == 4194304);
  REQUIRE(s.stacks.size() == 3);
  CHECK(std::vector<std::uint32_t>(s.stacks[0].begin(), s.stacks[0].end()) ==
        std::vector<std::uint32_t>{0, 1, 2});

  REQUIRE(s.scopes);
  CHECK(s.scopes->sites.size() == 3);
  REQUIRE(s.scopes->threads.size() == 2);
  CHECK(s.scopes->threads[0].name == "main");
  CHECK(s.scopes->threads[0].nodes[2].parent == 1);
  CHECK(s.scopes->threads[0].nodes[1].total_ns == 1200000000);

  REQUIRE(s.memory);
  REQUIRE(s.memory->summary);
  CHECK(s.memory->summary->peak_bytes == 6144);
  CHECK(s.memory->summary->peak_wall_seconds == 1.25);
  REQUIRE(s.memory->sites.size() == 3);
  CHECK(s.memory->sites[0].allocated_bytes == 8192);
  CHECK(s.memory->sites[0].temporary_allocations == 2);

  REQUIRE(s.timers);
  REQUIRE(s.timers->timings.size() == 2);
  CHECK(s.timers->timings[0].loops == 1024);
  CHECK(s.timers->timings[0].median == 1.3e-5);
  CHECK_FALSE(s.timers->timings[1].median.has_value());
  CHECK(s.timers->comparisons.at(0).significant == true);
}

TEST_CASE("tables are read by column name, whatever their order") {
  auto s = read_snapshot_file(fixture("solver.1002.prof.json"));
  CHECK(s.meta.exit.kind == ExitStatus::Kind::signaled);
  CHECK(s.meta.exit.signal_name == "SIGTERM");
  CHECK(s.string(s.frames[1].function) == "solve");
  CHECK(s.frames[1].offset == 7);
  CHECK(s.scopes->sites[0].line == 20);
  CHECK(s.scopes->threads[0].nodes[0].self_ns == 250000000);
  CHECK(s.scopes->threads[0].nodes[0].primitive_calls == 2);  // absent column: defaults to calls
  CHECK(s.memory->sites[0].temporary_allocations == 0);
}

namespace {

std::string error_of(const std::string& json) {
  try {
    parse_snapshot(json, "x.prof.json");
  } catch (const UserError& e) {
    CHECK(e.where() == "x.prof.json");
    return e.what();
  }
  return "no error";
}

const char* kMeta =
    R"("meta": {"program": "p", "argv": [], "pid": 5, "ppid": 1, "host": "h", "start_time": "2026-01-01T00:00:00Z",
    "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0, "max_rss_bytes": 0, "exit": {"status": "running"},
    "libprof_version": "0.1.0", "writer": "prof", "clock": {"source": "tsc", "tsc_hz": 1e9}, "threads_seen": 1,
    "cores_online": 1})";

std::string snapshot_with(const std::string& rest) {
  return std::string(R"({"format": "libprof-snapshot", "version": 1, )") + kMeta + rest + "}";
}

}  // namespace

TEST_CASE("a minimal snapshot built here is accepted") {
  CHECK(error_of(snapshot_with("")) == "no error");
}

TEST_CASE("bad input is reported as a user error saying what is wrong") {
  CHECK(error_of("") == "empty file, not a snapshot");
  CHECK_THAT(error_of("{\"format\": \"libprof-snapshot\", \"vers"), Catch::StartsWith("not valid JSON"));
  CHECK_THAT(error_of("[1, 2]"), Catch::Contains("expected an object, found an array"));
  CHECK(error_of("{\"a\": 1}") == "not a libprof snapshot (no \"format\" key)");
  CHECK(error_of("{\"format\": \"other\"}") ==
        "not a libprof snapshot (\"format\" is not \"libprof-snapshot\")");
  CHECK(error_of(R"({"format": "libprof-snapshot", "version": 3})") ==
        "written by a newer libprof: format 3, this prof reads 1");
  CHECK(error_of(R"({"format": "libprof-snapshot", "version": 1})") ==
        "the document: missing required key \"meta\"");
  CHECK(error_of(snapshot_with(R"(, "strings": ["", 7])")) ==
        "strings[1]: expected a string, found an integer");
}

TEST_CASE("indices that leave their table are refused") {
  const std::string frames_ok =
      R"(, "strings": ["", "f"], "frames": {"columns": ["function", "file", "line", "module", "offset"],
                                              "rows": [[1, 0, 1, -1, 0]]})";
  CHECK(error_of(snapshot_with(frames_ok)) == "no error");
  CHECK(error_of(
            snapshot_with(R"(, "strings": [""], "frames": {"columns": ["function", "file", "line", "module",
      "offset"], "rows": [[2, 0, 1, -1, 0]]})")) ==
        "frames.rows[0].function: index 2 is out of range (strings has 1 entries)");
  CHECK(error_of(snapshot_with(frames_ok + R"(, "stacks": [[0, 1]])")) ==
        "stacks[0]: frame 1 is out of range (frames has 1 entries)");
  CHECK(error_of(snapshot_with(frames_ok + R"(, "stacks": [[0]], "memory": {"sites": {"columns": ["stack",
      "allocations", "allocated_bytes", "peak_bytes", "leaked_allocations", "leaked_bytes"],
      "rows": [[1, 1, 1, 1, 0, 0]]}})")) ==
        "memory.sites.rows[0].stack: index 1 is out of range (stacks has 1 entries)");
  // A parent must come before its child: that also rules out cycles.
  CHECK_THAT(
      error_of(snapshot_with(R"(, "strings": [""], "scopes": {"sites": {"columns": ["name", "file", "line"],
      "rows": [[0, 0, 1]]}, "threads": [{"id": 1, "nodes": {"columns": ["parent", "site", "calls", "total_ns",
      "self_ns"], "rows": [[-1, 0, 1, 1, 1], [1, 0, 1, 1, 1]]}}]})")),
      Catch::StartsWith("scopes.threads[0].nodes.rows[1].parent: index 1 is out of range"));
}

TEST_CASE("a table without a required column, or with a short row, is refused") {
  CHECK(error_of(snapshot_with(
            R"(, "frames": {"columns": ["function", "file", "line", "module"], "rows": []})")) ==
        "frames: missing required column \"offset\"");
  CHECK(error_of(
            snapshot_with(R"(, "strings": [""], "frames": {"columns": ["function", "file", "line", "module",
      "offset"], "rows": [[0, 0, 1]]})")) == "frames.rows[0]: 3 values for 5 columns");
}

TEST_CASE("a directory stands for its *.prof.json files, in name order") {
  auto snapshots = load_snapshots({PROF_TEST_SOURCE_DIR "/tests/viewer/data"});
  REQUIRE(snapshots.size() == 3);
  CHECK(snapshots[0].meta.pid == 77);  // minimal.prof.json sorts first
  CHECK(snapshots[1].meta.pid == 1001);
  CHECK(snapshots[2].meta.pid == 1002);
}
