// The workload suite's shapes with exact figures (issue 13): stacks deeper than PROF_DEPTH, thousands of
// distinct stacks through one leaf, peaks open or closed when the snapshot is written, and what the tracer
// costs per live block. The stacks the tracer walks from the frame rules (without libunwind) and those its
// cache replays must be libunwind's, frame for frame: PROF_MEMORY_CHECK_CACHE=1 unwinds each of them with
// libunwind as well and says "stack cache mismatch" on stderr at the first difference.
#include <catch2/catch.hpp>

#include <sstream>
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

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/stack_shapes";
// The same program built -O0 with frame pointers, as debug builds and distributions that keep frame pointers
// build: every frame computes its CFA from rbp.
const std::string kFramePointerProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/stack_shapes_fp";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

struct Run {
  prof::test::RunResult result;
  std::vector<fs::path> snapshots;
  std::string program;
};

Run run_shapes(const TempDir& dir, const std::vector<std::string>& args, const std::vector<std::string>& env,
               const std::string& program = kProgram) {
  Run run;
  run.program = fs::path(program).filename().string();
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> all = {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string()};
  all.insert(all.end(), env.begin(), env.end());
  run.result = prof::test::run(argv, all, dir.path());
  run.snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(prof::test::validate(dir.path()) == 0);
  return run;
}

Memory memory_of(const Run& run) {
  REQUIRE(run.snapshots.size() == 1);
  return read_memory(run.snapshots[0], read_offsets(run.result.out), run.program);
}

// The last "resident_kib" line: the first is the offset of the function of that name.
long resident_kib(const std::string& out) {
  std::istringstream lines(out);
  std::string name;
  long value = 0, found = -1;
  while (lines >> name >> value)
    if (name == "resident_kib") found = value;
  return found;
}

// A run whose stacks the tests check: it must exit cleanly, and with PROF_MEMORY_CHECK_CACHE=1 in `env` no
// walked or replayed stack may differ from libunwind's.
Memory checked_memory(const std::vector<std::string>& args, const std::vector<std::string>& env,
                      const std::string& program) {
  TempDir dir;
  Run run = run_shapes(dir, args, env, program);
  INFO(program << " " << args.front() << ": " << run.result.err);
  REQUIRE(run.result.code() == 0);
  CHECK(run.result.err.find("mismatch") == std::string::npos);
  return memory_of(run);
}

}  // namespace

// Built -O1 and, with frame pointers, -O0.
TEST_CASE("recursion 300 deep: every allocation counted, stacks cut at PROF_DEPTH are libunwind's",
          "[memory]") {
  for (const char* depth : {"PROF_DEPTH=64", "PROF_DEPTH=200", "PROF_DEPTH=256"})
    for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"})
      for (const std::string& program : {kProgram, kFramePointerProgram}) {
        INFO(depth << " " << check);
        Memory m = checked_memory({"deep"}, {depth, check}, program);
        CHECK(m.by_function["plant_deep"].allocations == 20 * 300);
        CHECK(m.by_function["plant_deep"].bytes == 20 * 300 * 40);
        CHECK(m.by_function["plant_deep"].leaked == 0);
        // Levels deeper than the depth limit all have the same frames (one return address, repeated): one
        // site; the shallower levels one site each. Never more sites than levels.
        CHECK(m.by_function["plant_deep"].sites >= 2);
        CHECK(m.by_function["plant_deep"].sites <= 300);
      }
}

// The order of the passes (the same twice, then another twice) makes the stack cache's guesses of the next
// site right, then wrong, then right: each site must still have exactly its own four allocations.
// Built -O1 and, with frame pointers, -O0.
TEST_CASE("16 807 distinct stacks through one leaf are 16 807 sites of four allocations each", "[memory]") {
  for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"})
    for (const std::string& program : {kProgram, kFramePointerProgram}) {
      INFO(check);
      Memory m = checked_memory({"distinct"}, {check}, program);
      CHECK(m.by_function["plant_leaf"].sites == 16807);
      CHECK(m.by_function["plant_leaf"].fewest_per_site == 4);
      CHECK(m.by_function["plant_leaf"].most_per_site == 4);
      CHECK(m.by_function["plant_leaf"].allocations == 4 * 16807);
      CHECK(m.by_function["plant_leaf"].bytes == 4 * 16807 * 24);
      CHECK(m.by_function["plant_leaf"].temporary == 4 * 16807);
    }
}

// Frames of alloca compute their CFA from rbp in any build, and put the same stack at other offsets from call
// to call: the stack cache walks them restoring rbp where each frame saved it, and replays them only once
// each such frame's rbp is where its judgement found it. (Frame-pointer builds' deep and distinct stacks: the
// tests above.)
TEST_CASE("frames of alloca of changing size, walked and replayed, are libunwind's", "[memory]") {
  for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"})
    for (const std::string& program : {kProgram, kFramePointerProgram}) {
      INFO(check);
      Memory m = checked_memory({"varying"}, {check}, program);
      CHECK(m.by_function["plant_varying"].allocations == 3000);
      CHECK(m.by_function["plant_varying"].bytes == 3000 * 56);
      CHECK(m.by_function["plant_varying"].sites == 3);
      CHECK(m.by_function["plant_varying"].fewest_per_site == 1000);
    }
}

// calloc and realloc read the caller's rbp at their entry on x86-64 (malloc too: the tests above), where the
// replay of a frame that computes its CFA from rbp needs it: their stacks too must be libunwind's.
TEST_CASE("calloc and realloc from frames of alloca, walked and replayed, are libunwind's", "[memory]") {
  for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"})
    for (const std::string& program : {kProgram, kFramePointerProgram}) {
      INFO(check);
      Memory m = checked_memory({"entries"}, {check}, program);
      CHECK(m.by_function["plant_entries"].allocations == 9000);
      CHECK(m.by_function["plant_entries"].bytes == 3000 * (56 + 48 + 96));
      CHECK(m.by_function["plant_entries"].sites == 9);
      CHECK(m.by_function["plant_entries"].fewest_per_site == 1000);
    }
}

// Four threads through the same 16 807 stacks at once: one site each, whichever thread made it, and each
// site's allocations exact although the threads write and read each other's guesses of the next site.
TEST_CASE("16 807 distinct stacks from four threads at once are 16 807 sites of 16 allocations each",
          "[memory]") {
  for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"}) {
    INFO(check);
    Memory m = checked_memory({"distinct_threads"}, {check}, kProgram);
    CHECK(m.by_function["plant_leaf"].sites == 16807);
    CHECK(m.by_function["plant_leaf"].fewest_per_site == 16);
    CHECK(m.by_function["plant_leaf"].most_per_site == 16);
    CHECK(m.by_function["plant_leaf"].allocations == 16 * 16807);
    CHECK(m.by_function["plant_leaf"].leaked == 0);
  }
}

// The epoch of a peak starts at the first free after it: a peak still open when the snapshot is written is
// the heap as it is then, one closed by a free is the heap just before that free.
TEST_CASE("shares at the peak are exact whether the peak is open or closed at the snapshot", "[memory]") {
  for (const char* mode : {"peak_open", "peak_closed"}) {
    TempDir dir;
    Run run = run_shapes(dir, {mode}, {});
    INFO(mode);
    REQUIRE(run.result.code() == 0);
    Memory m = memory_of(run);
    CHECK(m.by_function["plant_peak_a"].peak == 40000);
    CHECK(m.by_function["plant_peak_b"].peak == 80000);
    CHECK(m.by_function["plant_peak_c"].peak == 40000);
    CHECK(m.by_function["plant_peak_a"].allocations == 100);
    CHECK(m.by_function["plant_peak_b"].allocations == 80);
    CHECK(m.by_function["plant_peak_c"].leaked == (std::string(mode) == "peak_open" ? 40 : 0));
    CHECK(m.summary.peak >= 160000);
    // The rest: the program's stdio and loader blocks, its libstdc++'s exception pool (71 KiB).
    CHECK(m.summary.peak < 160000 + (128 << 10));
  }
}

// Issue 13: the tracer may cost at most 32 bytes per live block. The resident set of a million live 16-byte
// blocks, under the shim and plain: the books in the program's heap (an 8-byte tail in the chunk glibc gives
// a 16-byte block anyway; 16 bytes a block with a header), the tables, the shim's code and data.
TEST_CASE("a million live blocks cost the tracer at most 32 bytes each", "[memory]") {
  constexpr long kBlocks = 1000000;
  TempDir plain_dir, traced_dir;
  auto plain = prof::test::run({kProgram, "live", std::to_string(kBlocks)}, {}, plain_dir.path());
  Run traced = run_shapes(traced_dir, {"live", std::to_string(kBlocks)}, {});
  REQUIRE(plain.code() == 0);
  REQUIRE(traced.result.code() == 0);
  long plain_kib = resident_kib(plain.out);
  long traced_kib = resident_kib(traced.result.out);
  REQUIRE(plain_kib > 0);
  REQUIRE(traced_kib > 0);
  double per_block = (traced_kib - plain_kib) * 1024.0 / kBlocks;
  INFO("plain " << plain_kib << " KiB, traced " << traced_kib << " KiB: " << per_block
                << " B per live block");
  CHECK(per_block <= 32.0);
  Memory m = memory_of(traced);
  CHECK(m.by_function["plant_live"].allocations == kBlocks);
  CHECK(m.by_function["plant_live"].peak == kBlocks * 16);
}

namespace {

using Frame = std::pair<std::string, std::uint64_t>;  // module file name, offset

// The stack of the site whose blocks have `size` bytes, as module file names and offsets.
std::vector<Frame> stack_of_size(const fs::path& file, std::int64_t size) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file.string());
  std::vector<std::string> modules;
  for (auto module : simdjson::dom::array(doc["modules"])) {
    std::string path{std::string_view(module["path"])};
    modules.push_back(path.substr(path.rfind('/') + 1));
  }
  std::vector<Frame> frames;
  for (auto row : simdjson::dom::array(doc["frames"]["rows"])) {
    const std::int64_t module = std::int64_t(row.at(3));
    frames.emplace_back(module >= 0 ? modules.at(static_cast<std::size_t>(module)) : "?",
                        std::uint64_t(row.at(4)));
  }
  std::vector<std::vector<Frame>> stacks;
  for (auto stack : simdjson::dom::array(doc["stacks"])) {
    stacks.emplace_back();
    for (auto frame : simdjson::dom::array(stack))
      stacks.back().push_back(frames.at(std::uint64_t(frame)));
  }
  std::vector<Frame> found;
  int sites = 0;
  for (auto row : simdjson::dom::array(doc["memory"]["sites"]["rows"])) {
    const std::int64_t allocations = std::int64_t(row.at(1)), bytes = std::int64_t(row.at(2));
    if (allocations == 0 || bytes != allocations * size) continue;
    found = stacks.at(std::uint64_t(row.at(0)));
    ++sites;
  }
  CHECK(sites == 1);
  return found;
}

}  // namespace

// Every stack of the main thread ends with the same frames (the shim's wrapper of main, then the start-up's);
// the tracer keeps a stack only down to main's return address and writes the rest from what it learnt once.
// The stacks written must still be the whole unwind's, as glibc's backtrace() sees it beside the allocation,
// and cut at PROF_DEPTH as the whole stack would be.
TEST_CASE("stacks through main end with the start-up's frames, whole and cut at PROF_DEPTH", "[memory]") {
  for (const std::string& program : {kProgram, kFramePointerProgram}) {
    for (const char* check : {"PROF_MEMORY_CHECK_CACHE=0", "PROF_MEMORY_CHECK_CACHE=1"}) {
      TempDir dir;
      Run run = run_shapes(dir, {"tail"}, {check}, program);
      INFO(program << ", " << check << ": " << run.result.err);
      REQUIRE(run.result.code() == 0);
      CHECK(run.result.err.find("mismatch") == std::string::npos);
      std::vector<Frame> outer;  // from plant_tail's caller (main) outwards
      std::istringstream lines(run.result.out);
      for (std::string word; lines >> word;) {
        if (word != "outer") continue;
        Frame frame;
        lines >> frame.first >> frame.second;
        outer.push_back(frame);
      }
      REQUIRE(outer.size() >= 3);
      REQUIRE(run.snapshots.size() == 1);
      const std::vector<Frame> near = stack_of_size(run.snapshots[0], 4321);
      REQUIRE(near.size() == outer.size() + 1);
      CHECK(std::vector<Frame>(near.begin() + 1, near.end()) == outer);
      // One frame deeper: main's other call, then the same frames under main.
      const std::vector<Frame> deeper = stack_of_size(run.snapshots[0], 4322);
      REQUIRE(deeper.size() == outer.size() + 2);
      CHECK(std::vector<Frame>(deeper.begin() + 3, deeper.end()) ==
            std::vector<Frame>(outer.begin() + 1, outer.end()));
      // main's own blocks: main, then the frames under it.
      CHECK(stack_of_size(run.snapshots[0], 4320).size() == outer.size());
      // Cut at every depth from above the wrapper's frame to the last but one: the stacks that went on past
      // it are cut in the frames under main, written from what the shorter ones taught.
      for (std::size_t depth = 2; depth < deeper.size(); ++depth) {
        TempDir cut_dir;
        Run cut = run_shapes(cut_dir, {"tail"}, {check, "PROF_DEPTH=" + std::to_string(depth)}, program);
        INFO("PROF_DEPTH=" << depth);
        REQUIRE(cut.snapshots.size() == 1);
        const std::size_t near_depth = depth < near.size() ? depth : near.size();
        CHECK(stack_of_size(cut.snapshots[0], 4321) ==
              std::vector<Frame>(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(near_depth)));
        CHECK(stack_of_size(cut.snapshots[0], 4322) ==
              std::vector<Frame>(deeper.begin(), deeper.begin() + static_cast<std::ptrdiff_t>(depth)));
      }
    }
  }
}
