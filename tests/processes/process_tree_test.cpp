// A fork pool under `prof run`: one snapshot per process, each worker's figures its own and exact.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../core/test_support.hpp"  // tests/core has a snapshot_reader.hpp of its own: not on the path
#include "read/snapshot_reader.hpp"

namespace {

using prof::test::TempDir;
namespace fs = std::filesystem;
namespace viewer = prof::viewer;

const std::string kProf = std::string(PROF_TEST_BIN_DIR) + "/prof";
const std::string kForkPool = std::string(PROF_PROCESSES_PROGRAMS_DIR) + "/fork_pool";

std::int64_t calls_of(const viewer::Snapshot& s, const std::string& name) {
  std::int64_t calls = 0;
  if (!s.scopes) return 0;
  for (const auto& thread : s.scopes->threads)
    for (const auto& node : thread.nodes)
      if (s.string(s.scopes->sites.at(node.site).name) == name) calls += node.calls;
  return calls;
}

}  // namespace

TEST_CASE("a fork pool of 4 workers is 5 processes, each worker with exactly its own work", "[processes]") {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  auto run = prof::test::run({kProf, "run", "-o", out.string(), "--", kForkPool}, {}, dir.path());
  REQUIRE(run.code() == 0);
  CHECK(run.out == "workers 4 failed 0\n");
  auto files = prof::test::snapshots_in(out);
  REQUIRE(files.size() == 5);
  CHECK(prof::test::validate(out) == 0);

  std::vector<viewer::Snapshot> snapshots;
  for (const auto& file : files)
    snapshots.push_back(viewer::read_snapshot_file(file.string()));
  const viewer::Snapshot* parent = nullptr;
  for (const auto& s : snapshots)
    if (calls_of(s, "task") == 0) parent = &s;
  REQUIRE(parent != nullptr);

  std::map<std::int64_t, int> workers_by_tasks;
  for (const auto& s : snapshots) {
    if (&s == parent) continue;
    CHECK(s.meta.ppid == parent->meta.pid);
    const std::int64_t tasks = calls_of(s, "task");
    CHECK(tasks % 10 == 0);
    const std::int64_t w = tasks / 10 - 1;
    ++workers_by_tasks[w];
    CHECK(calls_of(s, "{anonymous}::worker") + calls_of(s, "worker") == 1);
    REQUIRE(s.memory);
    REQUIRE(s.memory->summary);
    // The worker's own blocks, none of the parent's: (w + 1) x 64 KiB kept until exit.
    std::int64_t kept = 0;
    for (const auto& site : s.memory->sites)
      if (site.leaked_bytes == (w + 1) * (64 << 10)) kept = site.leaked_allocations;
    CHECK(kept == w + 1);
  }
  CHECK(workers_by_tasks == std::map<std::int64_t, int>{{0, 1}, {1, 1}, {2, 1}, {3, 1}});

  // The report: the parent first, its four workers below it, each with its own peak heap.
  auto csv = prof::test::run({kProf, "report", "--meta", "--format", "csv", out.string()}, {}, dir.path());
  REQUIRE(csv.code() == 0);
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "pid,ppid,program,exit,wall_seconds,cpu_seconds,max_rss_bytes,peak_heap_bytes");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');)
      cells.push_back(cell);
    rows.push_back(cells);
  }
  REQUIRE(rows.size() == 5);
  CHECK(rows[0][0] == std::to_string(parent->meta.pid));
  std::set<std::string> worker_heaps;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][1] == std::to_string(parent->meta.pid));
    worker_heaps.insert(rows[i][7]);
  }
  CHECK(worker_heaps == std::set<std::string>{"65536", "131072", "196608", "262144"});
  auto text = prof::test::run({kProf, "report", "--meta", out.string()}, {}, dir.path());
  CHECK(text.out.find("  " + std::to_string(parent->meta.pid) + "  ") != std::string::npos);
  CHECK(text.out.find("    fork_pool") != std::string::npos);  // the workers, indented below the parent
}
