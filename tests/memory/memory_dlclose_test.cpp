// A library opened, allocated from and closed before the snapshot: its module stays in the snapshot, marked
// unloaded, and the sites' frames still resolve to it.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using prof::test::TempDir;

const std::string kPrograms = PROF_MEMORY_PROGRAMS_DIR;
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";
const std::string kLibraryName = "/libdlclosed_library.so";

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

TEST_CASE("a module closed with dlclose is kept, unloaded, with its sites", "[memory][dlclose]") {
  TempDir dir;
  // The cache check unwinds every cached stack in full too: stale frames after the reopen would show.
  auto result = prof::test::run(
      {kPrograms + "/dlclosed", kPrograms + kLibraryName},
      {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY_CHECK_CACHE=1"}, dir.path());
  REQUIRE(result.code() == 0);
  CHECK(result.out == "closed\n");
  CHECK(result.err.find("mismatch") == std::string::npos);
  auto snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(snapshots.size() == 1);
  REQUIRE(prof::test::validate(dir.path()) == 0);

  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(snapshots[0].string());
  std::vector<std::int64_t> library_modules;
  std::int64_t index = 0, loaded_copies = 0;
  for (auto module : simdjson::dom::array(doc["modules"])) {
    if (ends_with(std::string_view(module["path"]), kLibraryName)) {
      if (bool(module["unloaded"]))
        library_modules.push_back(index);
      else
        ++loaded_copies;
    }
    ++index;
  }
  REQUIRE(!library_modules.empty());
  CHECK(loaded_copies == 0);

  std::vector<bool> frame_in_library;
  for (auto row : simdjson::dom::array(doc["frames"]["rows"])) {
    std::int64_t module = row.at(3);
    bool inside = false;
    for (std::int64_t m : library_modules)
      inside |= m == module;
    frame_in_library.push_back(inside);
  }
  std::vector<bool> stack_in_library;
  for (auto stack : simdjson::dom::array(doc["stacks"])) {
    bool inside = false;
    for (auto frame : simdjson::dom::array(stack))
      inside = inside || frame_in_library.at(std::uint64_t(frame));
    stack_in_library.push_back(inside);
  }
  std::int64_t allocations = 0, bytes = 0, leaked = 0;
  for (auto row : simdjson::dom::array(doc["memory"]["sites"]["rows"])) {
    if (!stack_in_library.at(std::uint64_t(row.at(0)))) continue;
    allocations += std::int64_t(row.at(1));
    bytes += std::int64_t(row.at(2));
    leaked += std::int64_t(row.at(4));
  }
  // Two rounds of three 777-byte blocks, all leaked, all allocated inside the closed library.
  CHECK(allocations == 6);
  CHECK(bytes == 6 * 777);
  CHECK(leaked == 6);
}
