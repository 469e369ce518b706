// Reading a run directory: each process counts once, even when it also wrote on-demand snapshots.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "read/snapshot_reader.hpp"

using namespace prof::viewer;
namespace fs = std::filesystem;

namespace {

// A minimal valid snapshot of pid 77; `sequence` 0 means the final one, else an on-demand one.
void write_snapshot(const fs::path& file, int sequence, double wall_seconds) {
  std::ofstream out(file);
  out << fmt::format(R"({{"format": "libprof-snapshot", "version": 1, "meta": {{"program": "p", "argv": ["p"],
    "pid": 77, "ppid": 1, "host": "h", "start_time": "2026-01-01T00:00:00Z", "wall_seconds": {},
    "user_seconds": 0, "system_seconds": 0, "max_rss_bytes": 1536, "exit": {}, "libprof_version": "0.1.0",
    "writer": "preload", "clock": {{"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"}},
    "threads_seen": 1, "cores_online": 2{}}}}})",
                     wall_seconds,
                     sequence ? R"({"status": "running"})" : R"({"status": "exited", "code": 0})",
                     sequence ? fmt::format(R"(, "sequence": {})", sequence) : "");
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / fmt::format("prof-directory-test-{}", ::getpid());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a directory keeps the final snapshot of a process and leaves its on-demand ones out") {
  TempDir dir;
  write_snapshot(dir.path / "p.77.1.prof.json", 1, 1.0);
  write_snapshot(dir.path / "p.77.2.prof.json", 2, 2.0);
  write_snapshot(dir.path / "p.77.prof.json", 0, 3.0);
  auto snapshots = load_snapshots({dir.path.string()});
  REQUIRE(snapshots.size() == 1);
  CHECK(snapshots[0].meta.wall_seconds == 3.0);
  CHECK_FALSE(snapshots[0].meta.sequence.has_value());
}

TEST_CASE("without a final snapshot, the latest on-demand one stands for the process") {
  TempDir dir;
  write_snapshot(dir.path / "p.77.2.prof.json", 2, 2.0);
  write_snapshot(dir.path / "p.77.1.prof.json", 1, 1.0);
  auto snapshots = load_snapshots({dir.path.string()});
  REQUIRE(snapshots.size() == 1);
  CHECK(snapshots[0].meta.sequence == 2);
}

TEST_CASE("an on-demand snapshot named on the command line is read as given") {
  TempDir dir;
  write_snapshot(dir.path / "p.77.1.prof.json", 1, 1.0);
  write_snapshot(dir.path / "p.77.prof.json", 0, 3.0);
  auto snapshots = load_snapshots({(dir.path / "p.77.1.prof.json").string()});
  REQUIRE(snapshots.size() == 1);
  CHECK(snapshots[0].meta.sequence == 1);
}
