// Ground truth, end to end: programs/ground_truth.cpp plants allocations with known counts and bytes; the
// snapshots written under the shim (and the report of `prof run`) must show exactly those figures.
#include <signal.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <fstream>
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

const std::string kProgram = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/ground_truth";
const std::string kSource = std::string(PROF_TEST_SOURCE_DIR) + "/tests/memory/programs/ground_truth.cpp";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";
const std::string kProf = std::string(PROF_TEST_BIN_DIR) + "/prof";

struct Run {
  prof::test::RunResult result;
  std::vector<fs::path> snapshots;
};

Run run_under_shim(const TempDir& dir, const std::vector<std::string>& args) {
  Run run;
  std::vector<std::string> argv = {kProgram};
  argv.insert(argv.end(), args.begin(), args.end());
  run.result =
      prof::test::run(argv, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string()}, dir.path());
  run.snapshots = prof::test::snapshots_in(dir.path());
  REQUIRE(prof::test::validate(dir.path()) == 0);
  return run;
}

Memory memory_of(const Run& run, const fs::path& snapshot) {
  return read_memory(snapshot, read_offsets(run.result.out), "ground_truth");
}

// The line of the source that carries `marker` in a comment.
int line_of(const std::string& marker) {
  std::ifstream in(kSource);
  std::string text;
  for (int line = 1; std::getline(in, text); ++line)
    if (text.find("// " + marker) != std::string::npos) return line;
  FAIL("no line marked " << marker);
  return 0;
}

std::string meta_exit_status(const fs::path& snapshot, std::string& signal_name, std::int64_t& code) {
  simdjson::dom::parser parser;
  simdjson::dom::element exit = parser.load(snapshot.string())["meta"]["exit"];
  std::string status{std::string_view(exit["status"])};
  if (status == "exited") code = std::int64_t(exit["code"]);
  if (status == "signaled") signal_name = std::string(std::string_view(exit["signal_name"]));
  return status;
}

}  // namespace

TEST_CASE("C++ new and delete in every form are counted exactly", "[memory][ground_truth]") {
  TempDir dir;
  Run run = run_under_shim(dir, {"new"});
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = memory_of(run, run.snapshots[0]);
  const auto& forms = m.by_function["plant_new_forms"];
  CHECK(forms.allocations == 8);
  CHECK(forms.bytes == 4 + 24 + 40 + 16 + 128 + 256 + 64 + 96);
  CHECK(forms.leaked == 1);  // new int[4]
  CHECK(forms.leaked_bytes == 16);
}

TEST_CASE("a std::vector built through inlined STL is charged to its own line", "[memory][ground_truth]") {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  auto run =
      prof::test::run({kProf, "run", "-o", out.string(), "--", kProgram, "vector", "10"}, {}, dir.path());
  REQUIRE(run.code() == 0);
  auto report = prof::test::run({kProf, "report", "--mem", "--by", "line", "--view", "total", "--top", "50",
                                 "--format", "csv", out.string()},
                                {}, dir.path());
  REQUIRE(report.code() == 0);
  INFO(report.out);
  // file,line,function,allocations,allocated_bytes,peak_bytes,leaked_allocations,leaked_bytes
  CHECK(report.out.find("ground_truth.cpp," + std::to_string(line_of("GROUND_TRUTH_VECTOR_LINE")) +
                        ",plant_vector,10,40960,") != std::string::npos);
  CHECK(report.out.find("ground_truth.cpp," + std::to_string(line_of("GROUND_TRUTH_KEPT_VECTOR_LINE")) +
                        ",plant_vector,2,8216,") != std::string::npos);
  // Nothing of the program's allocations is charged to the standard library's headers.
  CHECK(report.out.find("new_allocator.h") == std::string::npos);
  CHECK(report.out.find("stl_vector.h") == std::string::npos);
}

TEST_CASE("an exec chain: each image's snapshot holds exactly its own allocations",
          "[memory][ground_truth]") {
  TempDir dir;
  Run run = run_under_shim(dir, {"exec"});
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 2);
  int before = 0, after = 0;
  for (const auto& snapshot : run.snapshots) {
    Memory m = memory_of(run, snapshot);
    if (m.by_function.count("plant_before_exec")) {
      ++before;
      CHECK(m.by_function["plant_before_exec"].allocations == 3);
      CHECK(m.by_function["plant_before_exec"].bytes == 300);
      CHECK(m.by_function.count("plant_after_exec") == 0);
    } else {
      ++after;
      CHECK(m.by_function["plant_after_exec"].allocations == 4);
      CHECK(m.by_function["plant_after_exec"].bytes == 800);
      CHECK(m.by_function["plant_after_exec"].leaked == 4);
    }
  }
  CHECK(before == 1);
  CHECK(after == 1);
}

TEST_CASE("_exit, quick_exit, exit, abort and SIGTERM all leave the memory data and the true exit status",
          "[memory][ground_truth]") {
  struct End {
    const char* how;
    int code;    // when it exits
    int signal;  // when a signal ends it
    const char* signal_name;
  };
  const End end = GENERATE(End{"_exit", 7, 0, ""}, End{"quick_exit", 8, 0, ""}, End{"exit", 9, 0, ""},
                           End{"abort", 0, SIGABRT, "SIGABRT"}, End{"SIGTERM", 0, SIGTERM, "SIGTERM"});
  CAPTURE(end.how);
  TempDir dir;
  Run run = run_under_shim(dir, {"end", end.how});
  if (end.signal) {
    CHECK(run.result.signal() == end.signal);
  } else {
    CHECK(run.result.code() == end.code);
  }
  REQUIRE(run.snapshots.size() == 1);
  Memory m = memory_of(run, run.snapshots[0]);
  CHECK(m.by_function["plant_before_end"].allocations == 5);
  CHECK(m.by_function["plant_before_end"].bytes == 5000);
  CHECK(m.by_function["plant_before_end"].leaked == 5);
  CHECK(m.by_function["plant_before_end"].leaked_bytes == 5000);
  std::string signal_name;
  std::int64_t code = -1;
  const std::string status = meta_exit_status(run.snapshots[0], signal_name, code);
  if (end.signal) {
    CHECK(status == "signaled");
    CHECK(signal_name == end.signal_name);
  } else {
    CHECK(status == "exited");
    CHECK(code == end.code);
  }
}

TEST_CASE("eight threads at a common peak: the site's share of the peak is within 1 %",
          "[memory][ground_truth]") {
  TempDir dir;
  Run run = run_under_shim(dir, {"peak-threads"});
  REQUIRE(run.result.code() == 0);
  REQUIRE(run.snapshots.size() == 1);
  Memory m = memory_of(run, run.snapshots[0]);
  constexpr std::int64_t kHeld = 8 * 4096 * 1024;  // what all threads hold together at the peak
  const auto& peak_site = m.by_function["plant_peak_thread_part"];
  CHECK(peak_site.allocations == 8 * (4096 + 1));  // the blocks and each thread's vector of pointers
  CHECK(peak_site.peak >= kHeld * 99 / 100);
  CHECK(peak_site.peak <= kHeld * 101 / 100 + 8 * 4096 * 8);
  CHECK(m.summary.peak >= kHeld);
  CHECK(m.summary.peak <= kHeld * 101 / 100 + 8 * 4096 * 8);
  // Freed before the other site allocated: nothing of it was live at the peak.
  CHECK(m.by_function["plant_after_peak_part"].allocations == 8 * 1024);
  CHECK(m.by_function["plant_after_peak_part"].peak <= 8 * 2048);
}
