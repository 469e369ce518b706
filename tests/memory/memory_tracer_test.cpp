// End to end: programs with planted allocations run under the shim; the snapshot's memory section must show
// exactly what they planted, charged to the planting functions.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

using prof::test::TempDir;
using prof::test::memory::Memory;
using prof::test::memory::read_memory;
using prof::test::memory::read_offsets;
using prof::test::memory::Totals;
namespace fs = std::filesystem;

const std::string kPlanted = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/planted";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

struct Run {
  prof::test::RunResult result;
  std::vector<fs::path> snapshots;
};

Run run_planted(const TempDir& dir, const std::string& mode, const std::string& memory_env = "1",
                const std::vector<std::string>& extra_env = {}) {
  Run run;
  std::vector<std::string> env = {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(),
                                  "PROF_MEMORY=" + memory_env};
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  run.result = prof::test::run({kPlanted, mode}, env, dir.path());
  run.snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(prof::test::validate(dir.path()) == 0);
  return run;
}

}  // namespace

TEST_CASE("every function of the malloc family is counted on its planting site", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "family");
  REQUIRE(run.result.code() == 3);
  REQUIRE(run.snapshots.size() == 1);
  CHECK(run.result.out.find("errno enomem kept") != std::string::npos);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));

  const Totals& malloc_site = m.by_function["plant_malloc"];
  CHECK(malloc_site.allocations == 10);
  CHECK(malloc_site.bytes == 1000);
  CHECK(malloc_site.leaked == 0);

  const Totals& leak = m.by_function["plant_leak"];
  CHECK(leak.allocations == 3);
  CHECK(leak.leaked == 3);
  CHECK(leak.leaked_bytes == 192);

  CHECK(m.by_function["plant_calloc"].allocations == 1);
  CHECK(m.by_function["plant_calloc"].bytes == 100);

  const Totals& chain = m.by_function["plant_realloc"];
  CHECK(chain.allocations == 3);
  CHECK(chain.bytes == 60);
  CHECK(chain.leaked == 0);  // realloc(p, 0) is a free

  const Totals& aligned = m.by_function["plant_aligned"];
  CHECK(aligned.allocations == 6);
  CHECK(aligned.bytes == 100 + 128 + 100 + 100 + 100 + 100);
  CHECK(aligned.leaked == 0);

  CHECK(m.by_function["plant_temporary"].allocations == 5);
  CHECK(m.by_function["plant_temporary"].temporary == 5);
  CHECK(m.by_function["plant_malloc"].temporary == 0);

  // Peak: A held 1 MiB and freed it before B took 512 KiB.
  CHECK(m.by_function["plant_peak_a"].peak == (1 << 20));
  CHECK(m.by_function["plant_peak_b"].peak == 0);
  CHECK(m.summary.peak >= (1 << 20));
  CHECK(m.summary.peak < (1 << 20) + (256 << 10));
  CHECK(m.timeline_rows >= 1);
  CHECK(m.timeline_rows <= 1000);
}

TEST_CASE("frees that reach their sites late still give each site its exact share of the peak and its leaks",
          "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "delayed_frees");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
  for (const char* name : {"plant_ring_a", "plant_ring_b", "plant_ring_c"}) {
    INFO(name);
    const Totals& t = m.by_function[name];
    CHECK(t.allocations == 100);
    CHECK(t.bytes == 100000);
    CHECK(t.peak == 60000);  // the frees just before the big block belong before the peak
    CHECK(t.leaked == 10);
    CHECK(t.leaked_bytes == 10000);
  }
  CHECK(m.by_function["plant_ring_big"].peak == (1 << 20));
  CHECK(m.by_function["plant_ring_big"].leaked == 0);
  CHECK(m.summary.peak >= (1 << 20) + 180000);
}

TEST_CASE("a block of a mapping of its own shrunk in place frees exactly the bytes it was shrunk to",
          "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "mapped_shrink");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
  CHECK(m.by_function["plant_mapped"].allocations == 20);  // malloc(100), then realloc to 4 MiB
  CHECK(m.by_function["plant_mapped"].leaked == 0);
  const Totals& shrunk = m.by_function["plant_shrunk"];
  CHECK(shrunk.allocations == 10);
  CHECK(shrunk.bytes == 500);
  CHECK(shrunk.leaked == 0);
  CHECK(shrunk.leaked_bytes == 0);
  CHECK(m.by_function["plant_mapped_peak"].peak == (8 << 20));
  CHECK(m.by_function["plant_ring_a"].peak == 100000);
  // Freed with the page's bytes instead of 50, the ten shrunk blocks took 40 KB off the heap's total.
  CHECK(m.summary.peak >= (8 << 20) + 100000);
}

TEST_CASE("16 807 stacks through one leaf in no fixed order keep exact counts on their sites", "[memory]") {
  // Path p's block is 16 bytes plus the sum of its base-7 digits; each path allocates three times.
  constexpr int kPaths = 7 * 7 * 7 * 7 * 7;
  auto size_of = [](int p) {
    std::int64_t size = 16;
    for (int i = 0; i < 5; ++i, p /= 7)
      size += p % 7;
    return size;
  };
  std::int64_t all = 0, leaked = 0, leaked_bytes = 0, at_peak = 0;
  for (int p = 0; p < 24; p += 3)  // a fourth allocation after the peak, freed at the end
    all += size_of(p);
  for (int p = 0; p < kPaths; ++p) {
    all += 3 * size_of(p);
    bool first_leaks = p % 4 == 3;  // even ones freed, p % 4 == 1 moved by realloc
    bool third_leaks = p % 3 != 0;
    leaked += first_leaks + third_leaks;
    leaked_bytes += (first_leaks + third_leaks) * size_of(p);
    at_peak += (first_leaks + 1) * size_of(p);
  }
  // Three passes, then paths 0, 3, ..., 21 once more. spread_threads: the last frees come from four threads,
  // started while the main thread's last frees and allocations still wait for their sites.
  for (const char* mode : {"spread", "spread_threads"}) {
    for (const char* check : {"0", "1"}) {
      INFO(mode << ", PROF_MEMORY_CHECK_CACHE=" << check);
      TempDir dir;
      Run run = run_planted(dir, mode, "1", {std::string("PROF_MEMORY_CHECK_CACHE=") + check});
      REQUIRE(run.result.code() == 0);
      REQUIRE(run.snapshots.size() == 1);
      CHECK(run.result.err.find("mismatch") == std::string::npos);
      Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
      const Totals& leaf = m.by_function["plant_spread_leaf"];
      CHECK(leaf.sites == kPaths);
      CHECK(leaf.fewest_per_site == 3);  // each allocation on its own stack's site
      CHECK(leaf.most_per_site == 4);
      CHECK(leaf.allocations == 3 * kPaths + 8);
      CHECK(leaf.bytes == all);
      // The second pass's blocks; without threads also the last block of all (path 21's fourth), which the
      // main thread frees before it allocates again.
      CHECK(leaf.temporary == kPaths + (std::string(mode) == "spread" ? 1 : 0));
      CHECK(leaf.leaked == leaked);
      CHECK(leaf.leaked_bytes == leaked_bytes);
      CHECK(leaf.peak == at_peak);
    }
  }
}

TEST_CASE("four threads allocating are counted exactly", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "threads");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
  CHECK(m.by_function["plant_thread"].allocations == 4000);
  CHECK(m.by_function["plant_thread"].bytes == 64000);
  CHECK(m.by_function["plant_thread"].leaked == 0);
  CHECK(m.by_function["plant_thread"].temporary == 4000);
}

// The tracer takes no locks while the process has a single thread (spin_lock.hpp, alone()); the first
// pthread_create must bring them back: four threads on one site, 400 000 unlocked increments would lose some.
TEST_CASE("one site from four threads after a single-threaded start is counted exactly", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "alone_then_threads");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
  CHECK(m.by_function["plant_shared"].allocations == 450000);
  CHECK(m.by_function["plant_shared"].bytes == 450000 * 24);
  CHECK(m.by_function["plant_shared"].leaked == 0);
  CHECK(m.by_function["plant_shared"].peak >= 50000 * 24);
  CHECK(m.summary.peak >= 50000 * 24);
}

// With threads, each thread hands its counts over in batches (site_batches.hpp); a snapshot must add those
// of threads that still run at the end, or their last frees and allocations are lost: here the main thread's
// 1000 blocks, all freed by the four threads, would show as leaks.
TEST_CASE("threads still running at exit have every count in the snapshot", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "threads_left_running");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
  CHECK(m.by_function["plant_shared"].allocations == 1040);
  CHECK(m.by_function["plant_shared"].bytes == 1040 * 24);
  CHECK(m.by_function["plant_shared"].leaked == 40);
}

TEST_CASE("a fork child records only its own allocations", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "fork");
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 2);
  auto starts = read_offsets(run.result.out);
  int children = 0;
  for (const auto& file : run.snapshots) {
    Memory m = read_memory(file, starts);
    if (m.by_function.count("plant_child")) {
      ++children;
      CHECK(m.by_function["plant_child"].allocations == 2);
      CHECK(m.by_function["plant_child"].leaked == 2);
      CHECK(m.by_function.count("plant_malloc") == 0);
    } else {
      CHECK(m.by_function["plant_malloc"].allocations == 10);
      CHECK(m.by_function["plant_malloc"].leaked == 10);
    }
  }
  CHECK(children == 1);
}

TEST_CASE("PROF_MEMORY=0 leaves only the metadata", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "family", "0");
  REQUIRE(run.result.code() == 3);
  REQUIRE(run.snapshots.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(run.snapshots[0].string());
  CHECK(doc["memory"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("real programs keep their output and exit code under the memory tracer", "[memory]") {
  const std::vector<std::vector<std::string>> commands = {
      {"/bin/sh", "-c", "echo one; echo two | sort -r; exit 4"},
      {"/bin/ls", "-la", "/usr"},
      {"/usr/bin/sort", "/etc/passwd"},
      {PROF_TEST_PYTHON, "-c",
       "import threading\nr=[]\nts=[threading.Thread(target=lambda:r.append(sum(len(str(i)) for i in "
       "range(20000)))) for _ in range(4)]\n[t.start() for t in ts]\n[t.join() for t in ts]\nprint(r)\n"}};
  for (const auto& command : commands) {
    TempDir plain_dir, traced_dir;
    auto plain = prof::test::run(command, {}, plain_dir.path());
    auto traced = prof::test::run(
        command, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + traced_dir.path().string()}, traced_dir.path());
    INFO(command[0]);
    CHECK(traced.out == plain.out);
    CHECK(traced.code() == plain.code());
    CHECK(traced.err == plain.err);
    CHECK(!prof::test::snapshots_in(traced_dir.path()).empty());
    CHECK(prof::test::validate(traced_dir.path()) == 0);
  }
}

// The per-thread stack cache answers without a full unwind; its answers must be the full unwind's, frame for
// frame. PROF_MEMORY_CHECK_CACHE=1 unwinds every hit in full as well and reports any difference on stderr.
TEST_CASE("the same leaf reached from two callers at the same stack depth is two sites", "[memory]") {
  for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"}) {
    TempDir dir;
    Run run = run_planted(dir, "two_callers", "1", {check});
    REQUIRE(run.result.code() == 0);
    REQUIRE(run.snapshots.size() == 1);
    CHECK(run.result.err.find("mismatch") == std::string::npos);
    Memory m = read_memory(run.snapshots[0], read_offsets(run.result.out));
    CHECK(m.by_function["plant_caller_a"].allocations == 1000);
    CHECK(m.by_function["plant_caller_a"].bytes == 24000);
    CHECK(m.by_function["plant_caller_a"].temporary == 1000);
    CHECK(m.by_function["plant_caller_b"].allocations == 666);
    CHECK(m.by_function["plant_caller_b"].bytes == 666 * 24);
    CHECK(m.by_function["plant_caller_b"].temporary == 666);
  }
}

TEST_CASE("stacks found by the stack cache are the full unwind's, in every planted mode", "[memory]") {
  for (const char* mode : {"family", "threads", "two_callers", "fork"}) {
    TempDir dir;
    Run run = run_planted(dir, mode, "1", {"PROF_MEMORY_CHECK_CACHE=1"});
    INFO(mode << ": " << run.result.err);
    CHECK(run.result.err.find("mismatch") == std::string::npos);
    CHECK(!run.snapshots.empty());
  }
}

TEST_CASE("four threads are counted exactly with the stack cache checked", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "threads", "1", {"PROF_MEMORY_CHECK_CACHE=1"});
  REQUIRE(run.result.code() == 0);
  Memory m = read_memory(run.snapshots.at(0), read_offsets(run.result.out));
  CHECK(m.by_function["plant_thread"].allocations == 4000);
  CHECK(m.by_function["plant_thread"].bytes == 64000);
  CHECK(m.by_function["plant_thread"].temporary == 4000);
  CHECK(run.result.err.find("mismatch") == std::string::npos);
}

// Stacks cut at PROF_DEPTH are cached too: two frames still tell the two callers apart.
TEST_CASE("stacks cut at PROF_DEPTH keep the callers apart with the stack cache", "[memory]") {
  TempDir dir;
  Run run = run_planted(dir, "two_callers", "1", {"PROF_MEMORY_CHECK_CACHE=1", "PROF_DEPTH=2"});
  REQUIRE(run.result.code() == 0);
  CHECK(run.result.err.find("mismatch") == std::string::npos);
  Memory m = read_memory(run.snapshots.at(0), read_offsets(run.result.out));
  CHECK(m.by_function["plant_caller_a"].allocations == 1000);
  CHECK(m.by_function["plant_caller_b"].allocations == 666);
}
