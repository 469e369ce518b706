#pragma once
// Run directories of planted snapshots for the viewer's tests of many processes: each process has the scope
// "work" (app.cpp:10) and one memory site (solver.cpp:42, function assemble) with known figures, optionally a
// rank, an mpi section, thread counts and a CPU binding.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

namespace prof::test {

struct Planted {
  int rank = -1;  // -1: no rank
  int pid = 0, ppid = 1;
  double work_seconds = 1;      // cumtime of the scope "work"
  std::int64_t peak_bytes = 0;  // of the one memory site (solver.cpp:42)
  int threads = 1;
  std::string omp{};  // OMP_NUM_THREADS, "" for none
  double start = 0, wall = 10;
  std::int64_t bcast_ns = 0;  // MPI_Bcast time; 0: no mpi section
  int runtime_threads = 0;    // of threads: an MPI runtime's helpers
  std::string cpu_list{};     // the affinity mask, "" for all 8 cores
  int cpus_allowed = 8;
  std::int64_t calls = 1;        // of the scope "work"
  std::int64_t allocations = 1;  // at the memory site
};

inline std::string snapshot_text(const Planted& p) {
  auto ns = static_cast<std::int64_t>(p.work_seconds * 1e9);
  std::string rank = p.rank >= 0 ? fmt::format(R"(, "rank": {}, "size": 4)", p.rank) : "";
  std::string env = p.omp.empty() ? "" : fmt::format(R"(, "env": {{"OMP_NUM_THREADS": "{}"}})", p.omp);
  env += fmt::format(R"(, "runtime_threads": {}, "cpus_allowed": {})", p.runtime_threads, p.cpus_allowed);
  if (!p.cpu_list.empty()) env += fmt::format(R"(, "cpu_list": "{}")", p.cpu_list);
  std::string mpi =
      p.bcast_ns
          ? fmt::format(R"(, "mpi": {{"library": "Open MPI v4.1.4", "rank": {}, "size": 4, "operations":
        [{{"name": "MPI_Bcast", "calls": 10, "bytes_sent": 4096, "bytes_received": 0, "total_ns": {}}}]}})",
                        p.rank, p.bcast_ns)
          : "";
  return fmt::format(
      R"({{"format": "libprof-snapshot", "version": 1, "meta": {{"program": "solver", "argv": ["solver"],
    "pid": {}, "ppid": {}, "host": "node1", "start_time": "2026-01-01T00:00:{:02}Z", "wall_seconds": {},
    "user_seconds": 1, "system_seconds": 0, "max_rss_bytes": {}, "exit": {{"status": "exited", "code": 0}},
    "libprof_version": "0.1.0", "writer": "preload", "clock": {{"source": "clock_gettime", "clock":
    "CLOCK_MONOTONIC"}}, "threads_seen": {}, "cores_online": 8{}{}}},
  "strings": ["", "work", "app.cpp", "assemble", "/src/app/solver.cpp"],
  "modules": [{{"path": "/app/solver", "build_id": "aa", "base": 4096, "size": 65536, "unloaded": false}}],
  "frames": {{"columns": ["function", "file", "line", "module", "offset", "inlined"],
             "rows": [[3, 4, 42, 0, 100, false]]}},
  "stacks": [[0]], "symbolised": true,
  "scopes": {{"sites": {{"columns": ["name", "file", "line"], "rows": [[1, 2, 10]]}},
             "threads": [{{"id": 0, "nodes": {{"columns": ["parent", "site", "calls", "primitive_calls",
               "total_ns", "self_ns"], "rows": [[-1, 0, {}, {}, {}, {}]]}}}}]}},
  "memory": {{"summary": {{"allocations": {}, "allocated_bytes": {}, "peak_bytes": {}, "leaked_allocations": 0,
    "leaked_bytes": 0}}, "sites": {{"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
    "leaked_allocations", "leaked_bytes"], "rows": [[0, {}, {}, {}, 0, 0]]}}}}{}}})",
      p.pid, p.ppid, static_cast<int>(p.start), p.wall, 1000 + p.pid, p.threads, rank, env, p.calls, p.calls,
      ns, ns, p.allocations, p.peak_bytes, p.peak_bytes, p.allocations, p.peak_bytes, p.peak_bytes, mpi);
}

struct RunDir {
  std::filesystem::path path;
  explicit RunDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             fmt::format("prof-planted-run-{}-{}", name, ::getpid())) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~RunDir() { std::filesystem::remove_all(path); }
  void add(const Planted& p) {
    auto name = p.rank >= 0 ? fmt::format("solver.r{:04}.{}.prof.json", p.rank, p.pid)
                            : fmt::format("solver.{}.prof.json", p.pid);
    std::ofstream(path / name) << snapshot_text(p);
  }
  std::string str() const { return path.string(); }
};

}  // namespace prof::test
