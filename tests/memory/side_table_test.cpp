// Issue 13, sampled mode: the side table (preload/memory/blocks.hpp) tells a free of a block it does not hold
// without a lock, from a count of entries per bucket of pointers. A bucket that reads empty while it holds a
// block would lose that block's books (its free counted nowhere, its header left to the real allocator), so
// these plant pointers in chosen buckets, past the count's saturation, and check every lookup.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "memory/blocks.hpp"
#include "memory/pages.hpp"

namespace {

namespace blocks = prof::preload::memory::blocks;

std::size_t bucket(std::uintptr_t pointer) {
  return blocks::detail::bucket_of(blocks::detail::mix(pointer));
}

// `count` 16-byte aligned addresses, never dereferenced, in bucket `wanted`, from `from` up.
std::vector<std::uintptr_t> pointers_in(std::size_t wanted, std::size_t count, std::uintptr_t from) {
  std::vector<std::uintptr_t> found;
  for (std::uintptr_t p = from; found.size() < count; p += 16)
    if (bucket(p) == wanted) found.push_back(p);
  return found;
}

const void* as_pointer(std::uintptr_t p) {
  return reinterpret_cast<const void*>(p);
}

// The first test's bucket: its count saturates and stays so, by design, for the rest of the process.
constexpr std::uintptr_t kSaturatedBase = 0x7f0000000000;

}  // namespace

TEST_CASE("the side table finds each of 300 blocks in one bucket, past its count's saturation", "[memory]") {
  const std::size_t wanted = bucket(kSaturatedBase);
  const auto pointers = pointers_in(wanted, 300, kSaturatedBase);
  for (std::size_t i = 0; i < pointers.size(); ++i)
    REQUIRE(blocks::insert(as_pointer(pointers[i]), blocks::Block{i + 1, 7, false}));
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    blocks::Block block{};
    REQUIRE(blocks::may_hold(as_pointer(pointers[i])));
    REQUIRE(blocks::find(as_pointer(pointers[i]), block));
    CHECK(block.size == i + 1);
  }
  // Out again in another order: the last ones stay found whatever the count went through.
  for (std::size_t i = pointers.size(); i-- > 1;) {
    blocks::Block block{};
    REQUIRE(blocks::remove(as_pointer(pointers[i]), block));
    CHECK(block.size == i + 1);
    REQUIRE(blocks::find(as_pointer(pointers[0]), block));
  }
  blocks::Block block{};
  REQUIRE(blocks::remove(as_pointer(pointers[0]), block));
  CHECK(block.size == 1);
  CHECK_FALSE(blocks::find(as_pointer(pointers[0]), block));
  CHECK(blocks::live_blocks() == 0);
}

TEST_CASE("a bucket without entries passes its pointers over, one with an entry does not", "[memory]") {
  const std::uintptr_t base = 0x7e0000000000;
  const std::size_t wanted = bucket(base);
  REQUIRE(wanted != bucket(kSaturatedBase));
  const auto same = pointers_in(wanted, 3, base);
  for (std::uintptr_t p : same)
    REQUIRE(blocks::insert(as_pointer(p), blocks::Block{64, 1, true}));
  // Two of three out: the third keeps its bucket counted.
  blocks::Block block{};
  REQUIRE(blocks::remove(as_pointer(same[0]), block));
  REQUIRE(blocks::remove(as_pointer(same[1]), block));
  CHECK(blocks::may_hold(as_pointer(same[2])));
  CHECK(blocks::may_hold(as_pointer(same[0])));  // the same bucket: looked up, and not found
  CHECK_FALSE(blocks::find(as_pointer(same[0]), block));
  REQUIRE(blocks::find(as_pointer(same[2]), block));
  CHECK(block.header);
  // Pointers of every other bucket are passed over while the table holds an entry.
  int passed = 0, other = 0;
  for (std::uintptr_t p = base + (1 << 20); other < 10000; p += 16) {
    if (bucket(p) == wanted || bucket(p) == bucket(kSaturatedBase)) continue;
    ++other;
    passed += blocks::may_hold(as_pointer(p)) ? 0 : 1;
  }
  CHECK(passed == 10000);
  REQUIRE(blocks::remove(as_pointer(same[2]), block));
  CHECK_FALSE(blocks::may_hold(as_pointer(same[2])));
}

// The tables live in one room of huge pages (blocks::init): a shard that grows moves up the room and gives
// the pages of its old table back. 200 000 blocks make every shard grow a dozen times; each must stay found
// with its own books through the moves, and the tracer's count of its own bytes must come back down when
// they leave.
TEST_CASE("the side table keeps 200 000 blocks through its tables' moves in the room", "[memory]") {
  namespace pages = prof::preload::memory::pages;
  blocks::init();
  const std::uint64_t before = pages::tracer_bytes();
  constexpr std::uintptr_t kBase = 0x6f0000000000;
  constexpr std::size_t kCount = 200000;
  for (std::size_t i = 0; i < kCount; ++i)
    REQUIRE(blocks::insert(as_pointer(kBase + 64 * i),
                           blocks::Block{i, static_cast<std::uint32_t>(i % 1000), i % 2 == 0}));
  CHECK(blocks::live_blocks() == kCount);
  const std::uint64_t full = pages::tracer_bytes() - before;
  CHECK(full >= 16 * kCount);  // every entry is counted
  CHECK(full <=
        32 * kCount);  // only the tables in use (the ones left behind are not): 32 B per block at most
  for (std::size_t i = kCount; i-- > 0;) {
    blocks::Block block{};
    REQUIRE(blocks::remove(as_pointer(kBase + 64 * i), block));
    REQUIRE(block.size == i);
    REQUIRE(block.site == i % 1000);
    REQUIRE(block.header == (i % 2 == 0));
  }
  CHECK(blocks::live_blocks() == 0);
}
