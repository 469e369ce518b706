// Issue 11, item 3 (the shim never changes a program): threads with small stacks. The shim's static TLS is
// carved out of every thread's stack by glibc (13 KiB of it made pthread_create fail with EINVAL for a
// PTHREAD_STACK_MIN stack), and libunwind's walk runs on the allocating thread's stack (it overflowed a
// 24 KiB one). Under the shim such threads start, allocate and free as without it, and every allocation is
// counted on its caller, exactly.
#include <catch2/catch.hpp>

#include <elf.h>

#include <fstream>
#include <string>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

using prof::test::TempDir;
using prof::test::memory::Memory;
using prof::test::memory::read_memory;
using prof::test::memory::read_offsets;

const std::string kSmallStacks = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/small_stacks";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

// The PT_TLS segment's size in memory: the static TLS every thread of a traced program pays for.
std::uint64_t static_tls_bytes(const std::string& library) {
  std::ifstream file(library, std::ios::binary);
  Elf64_Ehdr header{};
  file.read(reinterpret_cast<char*>(&header), sizeof header);
  REQUIRE(file);
  REQUIRE(header.e_ident[EI_CLASS] == ELFCLASS64);
  for (int i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    file.seekg(static_cast<std::streamoff>(header.e_phoff + i * header.e_phentsize));
    file.read(reinterpret_cast<char*>(&segment), sizeof segment);
    REQUIRE(file);
    if (segment.p_type == PT_TLS) return segment.p_memsz;
  }
  return 0;
}

}  // namespace

TEST_CASE("threads with 16, 20 and 24 KiB stacks allocate under the shim as without it", "[memory]") {
  TempDir plain_dir, traced_dir;
  auto plain = prof::test::run({kSmallStacks}, {}, plain_dir.path());
  auto traced = prof::test::run(
      {kSmallStacks}, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + traced_dir.path().string(), "PROF_MEMORY=1"},
      traced_dir.path());
  REQUIRE(plain.code() == 0);
  CHECK(plain.out.find("stack 16384: 1000 blocks of 48 bytes allocated and freed") != std::string::npos);
  CHECK(plain.out.find("stack 24576: 1000 blocks of 112 bytes allocated and freed") != std::string::npos);
  CHECK(traced.signal() == 0);
  CHECK(traced.code() == plain.code());
  CHECK(traced.out == plain.out);
  CHECK(traced.err == plain.err);
  auto snapshots = prof::test::snapshots_in(traced_dir.path());
  REQUIRE(snapshots.size() == 1);
  REQUIRE(prof::test::validate(traced_dir.path()) == 0);
  // Each thread's blocks are charged to its planting function, whether the stack was unwound in full or
  // (too little stack left for the walk) cut to the caller alone: counts and bytes are exact.
  Memory m = read_memory(snapshots[0], read_offsets(traced.out), "small_stacks");
  for (auto [name, size] :
       {std::pair{"plant_min", 48}, std::pair{"plant_20k", 80}, std::pair{"plant_24k", 112}}) {
    INFO(name);
    const auto& t = m.by_function[name];
    CHECK(t.allocations == 1000);
    CHECK(t.bytes == 1000 * size);
    CHECK(t.leaked == 0);
    CHECK(t.temporary == 1000);
  }
}

TEST_CASE("the shim's static TLS stays under 1 KiB", "[memory]") {
  // Every thread's stack loses it; PTHREAD_STACK_MIN (16 KiB) must stay usable.
  std::uint64_t bytes = static_tls_bytes(kShim);
  INFO("PT_TLS memsz " << bytes);
  CHECK(bytes < 1024);
}

TEST_CASE("each thread's stack cache goes back at its exit", "[memory]") {
  // The cache (16 KiB of pages per thread that allocated) is unmapped by a thread-exit hook: after 300
  // threads one after another, the tracer holds about what it holds after one.
  auto tracer_bytes = [](int threads) {
    TempDir dir;
    auto result = prof::test::run(
        {kSmallStacks, "threads", std::to_string(threads)},
        {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY=1"}, dir.path());
    REQUIRE(result.code() == 0);
    REQUIRE(result.out.find(std::to_string(threads) + " threads ran") != std::string::npos);
    auto snapshots = prof::test::snapshots_in(dir.path());
    REQUIRE(snapshots.size() == 1);
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.load(snapshots[0].string());
    // Every thread's 10 allocations are counted, whichever thread made them.
    CHECK(std::int64_t(doc["memory"]["summary"]["allocations"]) >= 10 * threads);
    return std::int64_t(doc["memory"]["summary"]["tracer_bytes"]);
  };
  std::int64_t one = tracer_bytes(1);
  std::int64_t many = tracer_bytes(300);
  INFO("tracer bytes after 1 thread " << one << ", after 300 " << many);
  // Kept, the caches would add 300 x 16 KiB = 4.7 MiB.
  CHECK(many - one < 50 * 16384);
}
