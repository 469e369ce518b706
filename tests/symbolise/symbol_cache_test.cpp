// The symbol cache (viewer/symbolise/symbol_cache.hpp): a second symbolisation of the same binary answers
// from what the first one learnt, with the same frames, and never from an entry made for another version of
// the binary or of its debug files.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "raw_snapshot.hpp"
#include "symbolise/frames.hpp"
#include "symbolise/module.hpp"
#include "symbolise/symbol_cache.hpp"

using namespace prof::viewer;
namespace fs = std::filesystem;

namespace {

// A private cache folder for the test, set as PROF_DEBUG_CACHE (or to `setting` when given).
struct CacheFolder {
  fs::path path;
  explicit CacheFolder(const char* setting = nullptr) {
    char name[] = "/tmp/prof-symbol-cache-test.XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path = name;
    ::setenv("PROF_DEBUG_CACHE", setting ? setting : name, 1);
  }
  ~CacheFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
    ::unsetenv("PROF_DEBUG_CACHE");
  }
  std::vector<fs::path> entries() const {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(path))
      if (entry.path().extension() == ".symbols") found.push_back(entry.path());
    return found;
  }
};

// Every frame of every stack as "function|file|line|inlined".
std::vector<std::string> named_frames(const Snapshot& snapshot) {
  std::vector<std::string> named;
  for (std::size_t s = 0; s < snapshot.stacks.size(); ++s)
    for (std::uint32_t index : snapshot.stacks[s]) {
      const Frame& frame = snapshot.frames[index];
      named.push_back(fmt::format("{}|{}|{}|{}", snapshot.string(frame.function), snapshot.string(frame.file),
                                  frame.line, frame.inlined));
    }
  return named;
}

struct Symbolised {
  SymbolisationResult result;
  std::vector<std::string> frames;
};

Symbolised symbolise_program(const symtest::Loaded& module) {
  auto snapshot = symtest::raw_snapshot(module, symtest::program_build_id(module));
  auto result = symbolise(snapshot);
  return {std::move(result), named_frames(snapshot)};
}

// Every one of raw_snapshot's three frames looked up in the module, none answered from the cache.
bool looked_up(const Symbolised& symbolised) {
  return symbolised.result.looked_up == 3 && symbolised.result.from_cache == 0;
}

bool from_cache(const Symbolised& symbolised) {
  return symbolised.result.looked_up == 0 && symbolised.result.from_cache == 3;
}

bool plain_caller_at(const Symbolised& symbolised, int line) {
  return symbolised.frames.size() >= 2 && symbolised.frames[1].starts_with("symtest::plain_caller()|") &&
         symbolised.frames[1].find(fmt::format("|{}|", line)) != std::string::npos;
}

}  // namespace

TEST_CASE("a second symbolisation of the same binary answers from the symbol cache, with the same frames") {
  CacheFolder cache;
  auto module = symtest::this_program();
  auto first = symbolise_program(module);
  CHECK(looked_up(first));
  REQUIRE(plain_caller_at(first, symtest::kPlainCallLine));
  REQUIRE(cache.entries().size() == 1);

  auto second = symbolise_program(module);
  CHECK(from_cache(second));
  CHECK(second.result.changed);
  CHECK(second.frames == first.frames);
  CHECK(cache.entries().size() == 1);
}

TEST_CASE("a changed binary does not use the entry of the file it replaced") {
  CacheFolder cache;
  auto module = symtest::this_program();
  auto copy = cache.path / "program";
  fs::copy_file(module.path, copy);
  module.path = copy.string();
  auto first = symbolise_program(module);
  REQUIRE(looked_up(first));
  REQUIRE(from_cache(symbolise_program(module)));

  // Rewritten in place, as a rebuild would: same path and build id, a new modification time.
  auto later = fs::last_write_time(copy) + std::chrono::seconds(5);
  fs::last_write_time(copy, later);
  auto again = symbolise_program(module);
  CHECK(looked_up(again));
  CHECK(again.frames == first.frames);
  CHECK(cache.entries().size() == 2);
}

TEST_CASE("a debug file installed after the first symbolisation gives its lines at the next one") {
  CacheFolder cache;
  auto module = symtest::this_program();
  auto program = cache.path / "program";
  auto debug = cache.path / "program.debug";
  auto aside = cache.path / "aside.debug";
  std::string command = fmt::format(
      "objcopy --only-keep-debug '{0}' '{1}' && objcopy --strip-debug --add-gnu-debuglink='{1}' '{0}' '{2}' "
      "&& "
      "mv '{1}' '{3}'",
      module.path, debug.string(), program.string(), aside.string());
  if (std::system(command.c_str()) != 0) {
    WARN("objcopy is missing or failed: skipped");
    return;
  }
  module.path = program.string();
  auto stripped = symbolise_program(module);
  REQUIRE(looked_up(stripped));
  CHECK(plain_caller_at(stripped, 0));  // named from the symbol table: no line
  CHECK(stripped.frames.size() == 4);   // nor the inlined call
  REQUIRE(from_cache(symbolise_program(module)));

  fs::rename(aside, debug);
  auto with_debug = symbolise_program(module);
  CHECK(looked_up(with_debug));
  CHECK(plain_caller_at(with_debug, symtest::kPlainCallLine));
  CHECK(with_debug.frames.size() == 5);
}

TEST_CASE("a damaged symbol cache entry is ignored and written again") {
  CacheFolder cache;
  auto module = symtest::this_program();
  auto first = symbolise_program(module);
  REQUIRE(cache.entries().size() == 1);
  auto entry = cache.entries().front();
  auto size = fs::file_size(entry);

  SECTION("cut short") {
    fs::resize_file(entry, size - 3);
  }
  SECTION("a count larger than its records") {
    std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(20);  // after the magic, the version and the key: the count of names and files
    std::uint32_t count = 1000;
    file.write(reinterpret_cast<const char*>(&count), sizeof count);
  }
  SECTION("a frame naming a string beyond the table (seen only when it is used)") {
    std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
    std::uint32_t strings = 0, string_bytes = 0;
    file.seekg(20);
    file.read(reinterpret_cast<char*>(&strings), sizeof strings);
    file.read(reinterpret_cast<char*>(&string_bytes), sizeof string_bytes);
    const std::uint64_t spans_at = 28 + 4 * (std::uint64_t{strings} + 1) + string_bytes + 8;
    std::uint64_t spans = 0;
    file.seekg(static_cast<std::streamoff>(spans_at - 8));
    file.read(reinterpret_cast<char*>(&spans), sizeof spans);
    REQUIRE(spans > 0);
    // Every frame's name: no span can answer.
    std::uint64_t frames = 0;
    file.seekg(static_cast<std::streamoff>(spans_at + 24 * spans));
    file.read(reinterpret_cast<char*>(&frames), sizeof frames);
    for (std::uint64_t i = 0; i < frames; ++i) {
      file.seekp(static_cast<std::streamoff>(spans_at + 24 * spans + 8 + 20 * i));
      std::uint32_t beyond = strings + 7;
      file.write(reinterpret_cast<const char*>(&beyond), sizeof beyond);
    }
  }
  SECTION("garbage") {
    std::ofstream file(entry, std::ios::trunc | std::ios::binary);
    file << std::string(size, '\xff');
  }
  auto damaged = symbolise_program(module);
  CHECK(looked_up(damaged));
  CHECK(damaged.frames == first.frames);
  CHECK(fs::file_size(entry) == size);  // written whole again
  CHECK(from_cache(symbolise_program(module)));
}

TEST_CASE("PROF_DEBUG_CACHE=0 keeps no symbol cache") {
  CacheFolder cache("0");
  auto module = symtest::this_program();
  symbolise_program(module);
  auto second = symbolise_program(module);
  CHECK(looked_up(second));
  CHECK(cache.entries().empty());
}

TEST_CASE(
    "symbol cache entries unused for 30 days, and temporaries left for a day, are removed when an entry is "
    "written") {
  CacheFolder cache;
  const auto now = fs::file_time_type::clock::now();
  auto plant = [&](const std::string& name, int days_old) {
    auto path = cache.path / name;
    std::ofstream(path) << "entry";
    fs::last_write_time(path, now - std::chrono::hours(24 * days_old));
    return path;
  };
  auto unused = plant("00000000000000000000000000000000000000aa-0000000000000001.symbols", 40);
  auto recent = plant("00000000000000000000000000000000000000bb-0000000000000002.symbols", 10);
  auto other = plant("unrelated-file", 40);
  auto leftover = plant(".00000000000000000000000000000000000000dd-0000000000000004.symbols.Ab12Cd", 2);
  auto writing = plant(".00000000000000000000000000000000000000ee-0000000000000005.symbols.Ef34Gh", 0);

  auto module = symtest::this_program();
  REQUIRE(looked_up(symbolise_program(module)));  // a new entry is written
  CHECK_FALSE(fs::exists(unused));
  CHECK(fs::exists(recent));
  CHECK(fs::exists(other));
  CHECK_FALSE(fs::exists(leftover));  // a temporary a killed run left behind
  CHECK(fs::exists(writing));         // one that may still be being written

  // An entry that is read is marked as used.
  REQUIRE(cache.entries().size() == 2);
  auto own = cache.entries()[0] == recent ? cache.entries()[1] : cache.entries()[0];
  fs::last_write_time(own, now - std::chrono::hours(24 * 10));
  REQUIRE(from_cache(symbolise_program(module)));
  CHECK(fs::last_write_time(own) > now - std::chrono::hours(1));

  // The folder is looked through at most once a day.
  auto unused_later = plant("00000000000000000000000000000000000000cc-0000000000000003.symbols", 40);
  auto copy = cache.path / "program";
  fs::copy_file(module.path, copy);
  module.path = copy.string();
  REQUIRE(looked_up(symbolise_program(module)));
  CHECK(fs::exists(unused_later));
}

TEST_CASE("a function met again at another address is learnt whole, as libdw answers each of its addresses") {
  CacheFolder cache;
  auto module = symtest::this_program();
  REQUIRE(looked_up(symbolise_program(module)));  // meets the three functions of raw_snapshot's frames
  // Every address of outer_with_inlined_call (its inlined call included), as raw frames one above each.
  const auto base = static_cast<std::uint64_t>(module.base);
  const auto asked = reinterpret_cast<std::uintptr_t>(symtest::outer_with_inlined_call());
  const auto function = SymbolModule(module.path, module.base).lookup_span(asked - 1);
  const auto size = function.function_end - function.function_first;
  REQUIRE(size > 4);
  auto whole = [&] {
    auto snapshot = symtest::raw_snapshot(module, symtest::program_build_id(module));
    snapshot.frames.clear();
    snapshot.stacks = StackTable();
    for (auto address = function.function_first; address < function.function_end; ++address) {
      snapshot.frames.push_back({0, 0, 0, 0, static_cast<std::int64_t>(address - base + 1), false});
      snapshot.stacks.add_frame(static_cast<std::uint32_t>(snapshot.frames.size() - 1));
      snapshot.stacks.end_stack();
    }
    return snapshot;
  };
  // The first address the first run's span does not hold is looked up, and the function learnt with it.
  auto learnt = whole();
  const auto learning = symbolise(learnt);
  CHECK(learning.looked_up + learning.from_cache == size);
  CHECK(learning.looked_up == 1);  // with clang 14's DWARF 5 too (no .debug_aranges: units found by scan)
  auto cached = whole();
  const auto result = symbolise(cached);
  CHECK(result.looked_up == 0);
  CHECK(result.from_cache == size);
  ::setenv("PROF_DEBUG_CACHE", "0", 1);
  auto looked = whole();
  CHECK(symbolise(looked).from_cache == 0);
  CHECK(named_frames(cached) == named_frames(looked));
  CHECK(named_frames(learnt) == named_frames(looked));
  // The inlined call is there: some address answers with two frames.
  CHECK(named_frames(cached).size() > static_cast<std::size_t>(size));
}

TEST_CASE("a function met once is not learnt whole: a return address asked again costs nothing more") {
  CacheFolder cache;
  auto module = symtest::this_program();
  REQUIRE(looked_up(symbolise_program(module)));
  REQUIRE(cache.entries().size() == 1);
  const auto written = fs::file_size(cache.entries().front());
  CHECK(from_cache(symbolise_program(module)));
  CHECK(fs::file_size(cache.entries().front()) == written);  // nothing learnt, nothing written
}

// Entries are read, not mapped: an entry replaced or cut short while a reader holds it (another node's rank
// rewriting a cache in a home folder on NFS, a user's `: > file`) must not end the reader with SIGBUS.
TEST_CASE("an entry truncated while a reader holds it still answers, without SIGBUS") {
  CacheFolder cache;
  auto module = symtest::this_program();
  auto first = symbolise_program(module);
  REQUIRE(cache.entries().size() == 1);
  const fs::path entry = cache.entries().front();
  // The entry's name is "<build id>-<key, 16 hex digits>.symbols".
  const std::string stem = entry.stem().string();
  const auto dash = stem.rfind('-');
  REQUIRE(dash != std::string::npos);
  const std::string build_id = stem.substr(0, dash);
  const std::uint64_t key = std::stoull(stem.substr(dash + 1), nullptr, 16);
  SymbolCache held(build_id, key);
  // The offsets the first symbolisation learnt: each frame's, and the byte before (a return address).
  const auto snapshot = symtest::raw_snapshot(module, symtest::program_build_id(module));
  std::vector<std::uint64_t> offsets;
  for (const Frame& frame : snapshot.frames)
    for (std::int64_t delta : {0, -1})
      offsets.push_back(static_cast<std::uint64_t>(frame.offset + delta));
  std::vector<bool> answered;
  for (std::uint64_t offset : offsets)
    answered.push_back(held.find(offset).has_value());
  REQUIRE(std::count(answered.begin(), answered.end(), true) > 0);
  fs::resize_file(entry, 0);
  for (std::size_t i = 0; i < offsets.size(); ++i)
    CHECK(held.find(offsets[i]).has_value() == answered[i]);
}
