// Issue 13: frees counted a few frees late (preload/memory/free_queue.hpp) keep the books exact. The program
// frees planted blocks far from its latest allocation without reading them, then allocates just below the
// peak, forks, starts a thread that makes a new peak, and exits with frees still waiting. The queue runs
// forced on (PROF_MEMORY_LATE_FREES=1), off (=0) and as it decides by itself (probing the caches); each run
// must give the same exact figures.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

using prof::test::TempDir;
using prof::test::memory::Memory;
using prof::test::memory::read_memory;
using prof::test::memory::read_offsets;
namespace fs = std::filesystem;

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/late_frees";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

std::int64_t planted(const std::string& out) {
  std::size_t at = out.find("planted ");
  REQUIRE(at != std::string::npos);
  return std::stoll(out.substr(at + 8));
}

}  // namespace

TEST_CASE("frees counted late: peaks, temporaries, leaks, fork and threads exact as when counted at once",
          "[memory][preload]") {
  const std::string mode = GENERATE(std::string("1"), std::string("0"), std::string(""));
  INFO("PROF_MEMORY_LATE_FREES=" << mode);
  TempDir dir;
  prof::test::RunResult run = prof::test::run(
      {kProgram},
      {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY_LATE_FREES=" + mode},
      dir.path());
  INFO(run.err);
  REQUIRE(run.code() == 0);
  CHECK(run.out.find("child clean") != std::string::npos);
  CHECK(run.out.find("thread child clean") != std::string::npos);
  CHECK(run.out.find("done") != std::string::npos);
  // mallinfo2 lets the waiting frees reach glibc first.
  CHECK(run.out.find("heap in use after the frees: 0 bytes more") != std::string::npos);
  const std::int64_t bytes = planted(run.out);

  std::vector<fs::path> snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(snapshots.size() == 3);  // the parent and its two fork children
  auto offsets = read_offsets(run.out);
  Memory parent, child, thread_child;
  for (const fs::path& snapshot : snapshots) {
    Memory memory = read_memory(snapshot, offsets, "late_frees");
    if (memory.by_function["plant_below_peak"].allocations > 0) parent = memory;
    if (memory.by_function["plant_child"].allocations > 0) child = memory;
    if (memory.by_function["plant_thread"].allocations > 0) thread_child = memory;
  }

  // Three plantings of 4000 blocks, all freed; the last ones still queued at the exit.
  const auto& blocks = parent.by_function["plant_blocks"];
  CHECK(blocks.allocations == 3 * 4000);
  CHECK(blocks.bytes == 3 * bytes);
  CHECK(blocks.leaked == 0);
  CHECK(blocks.leaked_bytes == 0);
  // The last block of the second and third plantings, freed before any other allocation, was temporary.
  CHECK(blocks.temporary == 2);
  CHECK(parent.by_function["plant_big"].allocations == 200);
  CHECK(parent.by_function["plant_big"].leaked == 0);
  // The peak: the first planting with the far block.
  CHECK(blocks.peak == bytes);
  CHECK(parent.by_function["plant_far"].peak == 1 << 20);
  CHECK(parent.by_function["plant_far"].leaked == 0);
  // Made after the peak's first free: none of its share.
  const auto& after = parent.by_function["plant_after_peak"];
  CHECK(after.allocations == 1);
  CHECK(after.peak == 0);
  CHECK(after.leaked == 0);
  // 100 bytes below the peak of the time: no new peak, no share of it.
  const auto& below = parent.by_function["plant_below_peak"];
  CHECK(below.allocations == 1);
  CHECK(below.peak == 0);
  CHECK(below.temporary == 1);
  const auto& temporary = parent.by_function["plant_temporary"];
  CHECK(temporary.allocations == 1000);
  CHECK(temporary.temporary == 1000);
  CHECK(temporary.leaked == 0);

  // The first child's books start empty: its own two leaks, nothing of the parent's frees.
  CHECK(child.by_function["plant_child"].allocations == 2);
  CHECK(child.by_function["plant_child"].leaked == 2);
  CHECK(child.by_function["plant_child"].leaked_bytes == 60);
  CHECK(child.summary.allocations == 2);

  // The second child's new peak is its thread's block alone: the planted blocks were freed before it.
  CHECK(thread_child.by_function["plant_blocks"].allocations == 4000);
  CHECK(thread_child.by_function["plant_blocks"].leaked == 0);
  CHECK(thread_child.by_function["plant_blocks"].peak == 0);
  CHECK(thread_child.by_function["plant_thread"].peak == bytes + 1000);
}
