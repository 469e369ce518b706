// Issue 12, item 3: the emergency exception pool of the libstdc++ linked into the shim (71 KiB, allocated by
// its initializer, never freed) is no leak of the program's. A C++ program that leaks exactly 292 bytes in 4
// blocks shows exactly that as `leaked`, in the summary and summed over its sites; the pool is reported apart
// (runtime_pool_*), and it still counts among the allocations and in the peak, as in heaptrack's totals.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <string>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/runtime_pool";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

}  // namespace

TEST_CASE("a C++ program's leaks are exact: the shim's exception pool is a runtime pool, not a leak",
          "[memory]") {
  prof::test::TempDir dir;
  auto result =
      prof::test::run({kProgram}, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string()}, dir.path());
  REQUIRE(result.code() == 0);
  auto snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(snapshots.size() == 1);
  REQUIRE(prof::test::validate(dir.path()) == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(snapshots[0].string());
  simdjson::dom::object summary = doc["memory"]["summary"];
  CHECK(std::int64_t(summary["leaked_allocations"]) == 4);
  CHECK(std::int64_t(summary["leaked_bytes"]) == 3 * 64 + 100);
  // The pool: one block, shown apart, and still among the allocations and under the peak.
  CHECK(std::int64_t(summary["runtime_pool_allocations"]) == 1);
  const std::int64_t pool = std::int64_t(summary["runtime_pool_bytes"]);
  CHECK(pool >= 1024);
  CHECK(std::int64_t(summary["allocated_bytes"]) >= pool + 3 * 64 + 100);
  CHECK(std::int64_t(summary["peak_bytes"]) >= pool + 3 * 64 + 100);
  // The sites agree with the summary: no site holds the pool as a leak.
  std::int64_t leaked = 0, leaked_bytes = 0;
  for (simdjson::dom::array row : doc["memory"]["sites"]["rows"].get_array()) {
    leaked += std::int64_t(row.at(4));
    leaked_bytes += std::int64_t(row.at(5));
  }
  CHECK(leaked == 4);
  CHECK(leaked_bytes == 3 * 64 + 100);
}
