// Issue 12, item 3: a C++ program that leaks exactly 292 bytes in 4 blocks shows exactly that as `leaked`, in
// the summary and summed over its sites. The libstdc++ linked into the shim once made its emergency exception
// pool (71 KiB) on the program's heap at load, reported apart as a runtime pool; the shim now links none of
// libstdc++'s exception machinery, so it makes no block at all: no runtime pool, and the leaks stay exact.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <string>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/runtime_pool";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

}  // namespace

TEST_CASE("a C++ program's leaks are exact, and the shim itself leaves no block on the program's heap",
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
  CHECK(std::int64_t(summary["runtime_pool_allocations"]) == 0);
  CHECK(std::int64_t(summary["runtime_pool_bytes"]) == 0);
  // The sites agree with the summary.
  std::int64_t leaked = 0, leaked_bytes = 0;
  for (simdjson::dom::array row : doc["memory"]["sites"]["rows"].get_array()) {
    leaked += std::int64_t(row.at(4));
    leaked_bytes += std::int64_t(row.at(5));
  }
  CHECK(leaked == 4);
  CHECK(leaked_bytes == 3 * 64 + 100);
}
