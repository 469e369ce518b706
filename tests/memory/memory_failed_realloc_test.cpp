// Issue 11, item 6: a realloc that fails leaves its block live and unchanged, so the tracer's books must keep
// it: on its site, in the leaks and in the peak.
#include <catch2/catch.hpp>

#include <string>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

using prof::test::TempDir;
using prof::test::memory::Memory;
using prof::test::memory::read_memory;
using prof::test::memory::read_offsets;

const std::string kPlanted = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/planted";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

}  // namespace

TEST_CASE("a failing realloc keeps its block in the leaks and the peak", "[memory]") {
  TempDir dir;
  auto result = prof::test::run(
      {kPlanted, "failed_realloc"},
      {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY=1"}, dir.path());
  REQUIRE(result.code() == 0);
  CHECK(result.out.find("realloc failed enomem kept") != std::string::npos);
  auto snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(snapshots.size() == 1);
  REQUIRE(prof::test::validate(dir.path()) == 0);
  Memory m = read_memory(snapshots[0], read_offsets(result.out));
  // plant_realloc_kept: 1 MiB, then realloc(p, huge) fails: p stays, leaked at exit.
  const auto& kept = m.by_function["plant_realloc_kept"];
  CHECK(kept.allocations == 1);
  CHECK(kept.bytes == (1 << 20));
  CHECK(kept.leaked == 1);
  CHECK(kept.leaked_bytes == (1 << 20));
  // The peak comes after the failure: the kept MiB and plant_peak_b's 512 KiB are live together.
  CHECK(kept.peak == (1 << 20));
  CHECK(m.by_function["plant_peak_b"].peak == (512 << 10));
  CHECK(m.summary.peak >= (1 << 20) + (512 << 10));
  CHECK(m.summary.leaked >= 2);
}
