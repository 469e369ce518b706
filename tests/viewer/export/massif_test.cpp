// massif.out files read by valgrind's ms_print: the planted memory timeline and its peak's tree.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "export/massif.hpp"
#include "export/tool_checks.hpp"
#include "export/tool_run.hpp"
#include "fixtures.hpp"
#include "scratch_dir.hpp"

using namespace prof::viewer;
using prof::test::fixture;
using prof::test::line_with;
using prof::test::planted;
using prof::test::run_tool;

namespace {

std::string massif(const std::vector<Snapshot>& snapshots) {
  PprofStacks stacks(/*keep_system_frames=*/false);
  std::vector<ProcessTimeline> timelines;
  std::vector<Snapshot> processes;
  for (const auto& snapshot : snapshots) {
    stacks.add(snapshot);
    if (snapshot.memory)
      timelines.push_back({snapshot.meta.pid, processes.size(), snapshot.memory->timeline});
    processes.push_back(process_summary(snapshot));
  }
  std::ostringstream out;
  write_massif_file(stacks, timelines, processes, out);
  return out.str();
}

bool have_ms_print() {
  if (run_tool("command -v ms_print").exit_code == 0) return true;
  WARN("SKIPPED: no ms_print here (Debian's valgrind: .ci/install-deps)");
  return false;
}

}  // namespace

TEST_CASE("massif: one snapshot per timeline point, the peak's with the tree of who held the bytes") {
  auto text = massif({planted(fixture("memory/app.1001.prof.json"))});
  CHECK(text.starts_with("desc: libprof (prof export): pid 1001\ncmd: app\ntime_unit: ms\n"));
  CHECK(text.find("snapshot=3\n#-----------\ntime=2000\nmem_heap_B=5120\n") != std::string::npos);
  // The peak: 5 MiB + 10 KiB at 1.5 s; assemble's 5 MiB from two lines of main, load's 10 KiB below 1 %.
  CHECK(text.find("time=1500\nmem_heap_B=5253120\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\n"
                  "n2: 5253120 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n") !=
        std::string::npos);
  CHECK(line_with(text, " n2: 5242880 0x") != "");
  CHECK(line_with(text, ": assemble (/src/app/solver.cpp:42)") != "");
  CHECK(line_with(text, "  n0: 4194304 0x").ends_with(": main (/src/app/solver.cpp:10)"));
  CHECK(line_with(text, " n0: 10240 in 1 place, all below massif's threshold (1.00%)") != "");
  CHECK(text.find("heap_tree=peak") == text.rfind("heap_tree=peak"));
}

TEST_CASE("massif: ms_print reads the file, with the peak and the planted functions") {
  if (!have_ms_print()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("massif.out.1001", massif({planted(fixture("memory/app.1001.prof.json"))}));
  auto result = run_tool("ms_print " + file);
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  CHECK(line_with(result.out, "Detailed snapshots: [2 (peak)]") != "");
  CHECK(line_with(result.out, "5,253,120        5,253,120") != "");
  CHECK(line_with(result.out, "->99.81% (5,242,880B) 0x").ends_with(": assemble (/src/app/solver.cpp:42)"));
  CHECK(line_with(result.out, "(4,194,304B) 0x").ends_with(": main (/src/app/solver.cpp:10)"));
}

TEST_CASE("massif: of a merged run, the process with the largest peak, said in desc") {
  if (!have_ms_print()) return;
  prof::test::ScratchDir dir;
  auto text = massif(
      {planted(fixture("memory/app.1001.prof.json"), 0), planted(fixture("memory/app.1002.prof.json"), 1)});
  CHECK(
      text.starts_with("desc: libprof (prof export): rank 1 (pid 1002), the largest peak of 2 processes\n"));
  auto result = run_tool("ms_print " + dir.file("massif.out", text));
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  CHECK(line_with(result.out, "6,301,696        6,301,696") != "");
  CHECK(line_with(result.out, "(6,291,456B) 0x").ends_with(": assemble (/src/app/solver.cpp:42)"));
}

TEST_CASE("massif: a peak the coarsened timeline missed comes from the summary") {
  auto snapshot = planted(fixture("memory/app.1001.prof.json"));
  snapshot.memory->timeline = {{0.0, 0}, {2.0, 5120}};  // the point at the peak coarsened away
  auto text = massif({snapshot});
  CHECK(text.find("time=1500\nmem_heap_B=5253120\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\n") !=
        std::string::npos);
}
