// Issue 13: the tracer keeps each block's books in a 16-byte header before it instead of a global pointer
// table (a cache and TLB miss per event once the table outgrows the caches). programs/block_books.cpp calls
// every function of the malloc family with its edge cases and checks contents, alignment and
// malloc_usable_size itself; here its output must be the plain run's, its figures exact, and a million live
// blocks must cost the tracer no table of their own.
#include <simdjson.h>

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

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/block_books";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

std::int64_t tracer_bytes(const fs::path& snapshot) {
  simdjson::dom::parser parser;
  return std::int64_t(parser.load(snapshot.string())["memory"]["summary"]["tracer_bytes"]);
}

}  // namespace

TEST_CASE(
    "the books of a block live beside it: every malloc function behaves as plain, figures exact, no "
    "table per live block",
    "[memory][preload]") {
  // Tails in glibc's chunks (the default), and headers and trailers (PROF_MEMORY_TAILS=0, as under another
  // allocator).
  const bool tails = GENERATE(true, false);
  INFO((tails ? "tails" : "PROF_MEMORY_TAILS=0"));
  TempDir plain_dir, traced_dir;
  prof::test::RunResult plain = prof::test::run({kProgram}, {}, plain_dir.path());
  REQUIRE(plain.code() == 0);
  std::vector<std::string> env = {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + traced_dir.path().string()};
  if (!tails) env.push_back("PROF_MEMORY_TAILS=0");
  prof::test::RunResult traced = prof::test::run({kProgram}, env, traced_dir.path());
  INFO(traced.err);
  REQUIRE(traced.code() == 0);
  // The same lines but for where blocks happened to fall (page-aligned ones differ between the runs) and,
  // with headers, the heap a block takes.
  auto without_layout = [&](std::string out) {
    for (std::size_t at; (at = out.find(", some page-aligned")) != std::string::npos;)
      out.erase(at, std::string(", some page-aligned").size());
    if (std::size_t at = out.find("heap "); !tails && at != std::string::npos)
      out.erase(at, out.find('\n', at) - at);
    return out;
  };
  CHECK(without_layout(traced.out) == without_layout(plain.out));
  CHECK(traced.out.find("failures 0") != std::string::npos);
  CHECK(traced.out.find("child clean") != std::string::npos);
  // A 16-byte block's books fit the 32-byte chunk glibc gives it anyway; a header takes it to 48.
  CHECK(traced.out.find(tails ? "heap 32 bytes a 16-byte block" : "heap 48 bytes a 16-byte block") !=
        std::string::npos);

  std::vector<fs::path> snapshots = prof::test::snapshots_in(traced_dir.path());
  REQUIRE(snapshots.size() == 2);  // the parent and its fork child
  auto offsets = read_offsets(traced.out);
  Memory first = read_memory(snapshots[0], offsets, "block_books");
  Memory second = read_memory(snapshots[1], offsets, "block_books");
  bool first_is_parent = first.by_function["plant_live"].allocations > 0;
  Memory& parent = first_is_parent ? first : second;
  Memory& child = first_is_parent ? second : first;
  const fs::path& parent_file = first_is_parent ? snapshots[0] : snapshots[1];

  const auto& live = parent.by_function["plant_live"];
  CHECK(live.allocations == 1000001);  // the blocks and the array of their addresses
  CHECK(live.bytes == 16 * 1000000 + 8 * 1000000);
  CHECK(live.peak == 16 * 1000000 + 8 * 1000000);
  CHECK(live.leaked == 0);
  const auto& aligned = parent.by_function["plant_aligned"];
  CHECK(aligned.allocations == 9);
  CHECK(aligned.bytes == 8 * 40 + 128);
  CHECK(aligned.leaked == 0);
  // Aligned blocks keep their books in a trailer at their end (or, in sampled mode, in the side table).
  const auto& many = parent.by_function["plant_aligned_many"];
  CHECK(many.allocations == 100001);  // the blocks and the array of their addresses
  CHECK(many.bytes == 100000 * 64 + 16 * 6250 * 120 + 8 * 100000);
  CHECK(many.leaked == 250);
  CHECK(many.leaked_bytes == 250 * 64);
  const auto& resized = parent.by_function["plant_realloc"];
  CHECK(resized.allocations == 9);  // calloc, 5 growths, a shrink; memalign, its move
  CHECK(resized.leaked == 0);
  CHECK(resized.bytes == 100 + 200 + 2000 + 20000 + 200000 + (4 << 20) + 50 + 64 + 5000);
  CHECK(resized.leaked_bytes == 0);
  const auto& leak = parent.by_function["plant_leak"];
  CHECK(leak.leaked == 10);
  CHECK(leak.leaked_bytes == 1000);
  // The early library's blocks predate the tracer: their frees count nowhere, their moves are new blocks.
  const auto& early = parent.by_function["plant_early"];
  CHECK(early.allocations == 32);
  CHECK(early.leaked == 0);
  CHECK(parent.by_function["plant_parent"].allocations == 20);
  CHECK(parent.by_function["plant_parent"].leaked == 0);
  // The child freed the parent's blocks (they count for none of its sites) and leaked its own two.
  CHECK(child.by_function["plant_child"].allocations == 2);
  CHECK(child.by_function["plant_child"].leaked == 2);
  CHECK(child.by_function["plant_child"].leaked_bytes == 60);
  CHECK(child.summary.allocations == 2);
  // A pointer table for a million live blocks took 22 MiB (16 bytes an entry at most 80 % full); the headers
  // and trailers are in the blocks, the side table holds only the page-aligned header blocks. (With the
  // 100 000 aligned blocks in the side table, 2.7 MB.)
  CHECK(tracer_bytes(parent_file) < 1024 * 1024);
}
