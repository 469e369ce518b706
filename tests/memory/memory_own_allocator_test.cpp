// Programs that bring their own allocator: traced through it when it comes after the shim (jemalloc
// preloaded behind it), stepped aside with one line on stderr when it comes first (defined by the
// executable).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using prof::test::TempDir;
using prof::test::memory::Memory;

const std::string kPrograms = PROF_MEMORY_PROGRAMS_DIR;
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";
const std::string kJemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

}  // namespace

TEST_CASE("an allocator defined by the executable makes the tracer step aside with one line",
          "[memory][own_allocator]") {
  TempDir plain_dir, traced_dir;
  auto plain = prof::test::run({kPrograms + "/own_allocator"}, {}, plain_dir.path());
  auto traced = prof::test::run({kPrograms + "/own_allocator"},
                                {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + traced_dir.path().string()},
                                traced_dir.path());
  REQUIRE(plain.code() == 7);
  CHECK(traced.code() == 7);
  CHECK(traced.out == plain.out);
  CHECK(traced.out == "own allocator ok\n");
  CHECK(traced.err.rfind("prof: memory tracer off: ", 0) == 0);
  CHECK(traced.err.find("own_allocator") != std::string::npos);
  CHECK(std::count(traced.err.begin(), traced.err.end(), '\n') == 1);
  // The rest of the shim still works: the metadata snapshot, without a memory section.
  auto snapshots = prof::test::snapshots_in(traced_dir.path());
  REQUIRE(snapshots.size() == 1);
  REQUIRE(prof::test::validate(traced_dir.path()) == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(snapshots[0].string());
  CHECK(doc["memory"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("jemalloc preloaded after the shim is traced exactly", "[memory][own_allocator]") {
  if (!fs::exists(kJemalloc)) {
    WARN("libjemalloc2 is not installed: " << kJemalloc << " missing, skipped");
    return;
  }
  // Not "family": it calls pvalloc and reallocarray, which jemalloc does not define, so glibc's blocks reach
  // jemalloc's free and the program crashes under jemalloc alone, shim or not.
  for (const char* mode : {"threads", "two_callers"}) {
    INFO("mode " << mode);
    TempDir with_libc, with_jemalloc;
    auto libc_run = prof::test::run({kPrograms + "/planted", mode},
                                    {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + with_libc.path().string()},
                                    with_libc.path());
    auto jemalloc_run = prof::test::run(
        {kPrograms + "/planted", mode},
        {"LD_PRELOAD=" + kShim + ":" + kJemalloc, "PROF_OUTPUT=" + with_jemalloc.path().string()},
        with_jemalloc.path());
    CHECK(jemalloc_run.code() == libc_run.code());
    CHECK(jemalloc_run.err.empty());
    auto libc_files = prof::test::snapshots_in(with_libc.path());
    auto jemalloc_files = prof::test::snapshots_in(with_jemalloc.path());
    REQUIRE(libc_files.size() == 1);
    REQUIRE(jemalloc_files.size() == 1);
    REQUIRE(prof::test::validate(with_jemalloc.path()) == 0);
    Memory libc_memory =
        prof::test::memory::read_memory(libc_files[0], prof::test::memory::read_offsets(libc_run.out));
    Memory jemalloc_memory = prof::test::memory::read_memory(
        jemalloc_files[0], prof::test::memory::read_offsets(jemalloc_run.out));
    REQUIRE(jemalloc_memory.by_function.size() > 1);
    for (const auto& [function, totals] : libc_memory.by_function) {
      if (function.rfind("plant_", 0) != 0) continue;
      INFO("function " << function);
      const auto& other = jemalloc_memory.by_function[function];
      CHECK(other.allocations == totals.allocations);
      CHECK(other.bytes == totals.bytes);
      CHECK(other.leaked == totals.leaked);
      CHECK(other.leaked_bytes == totals.leaked_bytes);
      CHECK(other.temporary == totals.temporary);
    }
    if (std::string(mode) == "threads")
      CHECK(jemalloc_memory.by_function["plant_thread"].allocations == 4000);
  }
}
