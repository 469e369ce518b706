// prof report --mem and prof diff --mem on hand-built, already symbolised fixtures (data/memory/):
// app.1001: sites solver.cpp:42 (assemble, two stacks: 4 MiB + 1 MiB at peak, 2000 + 54 allocations) and
// io.cpp:7 (load, 10 KiB at peak, 2 leaks of 4 KiB); the allocator frames (operator new in libstdc++,
// new_allocator.h inlined) are system frames. app.1002: solver.cpp:42 grew to 6 MiB and 3000 allocations.
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "read/snapshot_reader.hpp"

#include "fixtures.hpp"
#include "run_prof.hpp"

using prof::test::first_csv_table;
using prof::test::fixture;
using prof::test::run_prof;

namespace {

const std::string kOld = fixture("memory/app.1001.prof.json");
const std::string kNew = fixture("memory/app.1002.prof.json");
const std::string kHeader =
    "file,line,function,allocations,allocated_bytes,peak_bytes,leaked_allocations,leaked_bytes,"
    "temporary_allocations\n";

}  // namespace

TEST_CASE("memory by line charges the innermost frame of the user's code, peak view by default") {
  auto result = run_prof({"report", "--mem", "--format", "csv", kOld});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out == kHeader +
                          "/src/app/solver.cpp,42,assemble,2054,9437184,5242880,1,1024,1500\n"
                          "/src/app/io.cpp,7,load,110,122880,10240,2,4096,90\n");
}

TEST_CASE("memory text rows read like tracemalloc's, with a summary") {
  auto result = run_prof({"report", "--mem", kOld}, {"NO_COLOR=1"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out,
             Catch::Contains("/src/app/solver.cpp:42:  size=5.00 MiB,  count=2054,  average=4.49 KiB"));
  CHECK_THAT(result.out,
             Catch::Contains("/src/app/io.cpp:7:       size=10.0 KiB,   count=110,  average=1.09 KiB"));
  CHECK_THAT(result.out, Catch::Contains("peak                   5.01 MiB"));
  CHECK_THAT(result.out, Catch::Contains("peak at                1.50 s"));
  CHECK_THAT(result.out, Catch::Contains("tracer's own memory    64.0 KiB"));
}

TEST_CASE("memory by function, by file and by traceback") {
  auto by_function = run_prof({"report", "--by", "function", "--format", "csv", kOld});
  CHECK(by_function.out == kHeader +
                               ",0,assemble,2054,9437184,5242880,1,1024,1500\n"
                               ",0,load,110,122880,10240,2,4096,90\n");
  auto by_file = run_prof({"report", "--by", "file", "--format", "csv", kOld});
  CHECK(by_file.out == kHeader +
                           "/src/app/solver.cpp,0,,2054,9437184,5242880,1,1024,1500\n"
                           "/src/app/io.cpp,0,,110,122880,10240,2,4096,90\n");
  auto traceback = run_prof({"report", "--by", "traceback", "--format", "csv", kOld});
  CHECK_THAT(traceback.out,
             Catch::StartsWith("file,line,function,allocations,allocated_bytes,peak_bytes,"
                               "leaked_allocations,leaked_bytes,temporary_allocations,traceback\n"
                               "/src/app/solver.cpp,42,assemble,2000,8388608,4194304,0,0,1500,"
                               "/src/app/solver.cpp:42 < /src/app/solver.cpp:10\n"));
}

TEST_CASE("memory views choose and order the rows") {
  auto leaks = run_prof({"report", "--view", "leaks", "--format", "csv", kOld});
  CHECK(leaks.out == kHeader +
                         "/src/app/io.cpp,7,load,110,122880,10240,2,4096,90\n"
                         "/src/app/solver.cpp,42,assemble,2054,9437184,5242880,1,1024,1500\n");
  auto top1 = run_prof({"report", "--view", "temporary", "--top", "1", "--format", "csv", kOld});
  CHECK(top1.out == kHeader + "/src/app/solver.cpp,42,assemble,2054,9437184,5242880,1,1024,1500\n");
  auto leaks_text = run_prof({"report", "--view", "leaks", kOld}, {"NO_COLOR=1"});
  CHECK_THAT(leaks_text.out,
             Catch::Contains("/src/app/io.cpp:7:       size=4.00 KiB,  count=2,  average=2.00 KiB"));
}

TEST_CASE("keep-system-frames charges the allocator frames") {
  auto result = run_prof({"report", "--mem", "--keep-system-frames", "--format", "csv", kOld});
  CHECK(result.out == kHeader +
                          ",0,operator new(unsigned long),2064,9457664,5253120,3,5120,1500\n"
                          "/src/app/io.cpp,7,load,100,102400,0,0,0,90\n");
}

TEST_CASE("memory is merged over processes") {
  auto result = run_prof({"report", "--mem", "--format", "csv", kOld, kNew});
  // One table per csv: the sites merged, nothing after them.
  CHECK(result.out == kHeader +
                          "/src/app/solver.cpp,42,assemble,5054,22020096,11534336,1,1024,3500\n"
                          "/src/app/io.cpp,7,load,220,245760,20480,4,8192,180\n");
  // Each site across the two processes (--across): peak 5 MiB in pid 1001 and 6 MiB in 1002; load is 10 KiB
  // in both.
  auto across = run_prof({"report", "--mem", "--across", "--format", "csv", kOld, kNew});
  CHECK_THAT(across.out,
             Catch::Contains("\n/src/app/solver.cpp:42,/src/app/solver.cpp,42,assemble,11534336,5242880,"
                             "1001,5767168,6291456,1002,"));
}

TEST_CASE("the tree shows the stacks below each site and the timeline the live heap") {
  auto result = run_prof({"report", "--mem", "--tree", "--timeline", kOld}, {"NO_COLOR=1"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("stacks below /src/app/solver.cpp:42\n"
                                         "      size  count  called from\n"
                                         "  4.00 MiB   2000  main /src/app/solver.cpp:10\n"
                                         "  1.00 MiB     54  main /src/app/solver.cpp:11\n"));
  CHECK_THAT(result.out, Catch::Contains("    5.01 MiB |"));
  CHECK_THAT(result.out, Catch::Contains("0 s"));
  std::size_t start = 0;
  while (start < result.out.size()) {
    auto end = result.out.find('\n', start);
    CHECK(end - start <= 80);
    start = end + 1;
  }
}

TEST_CASE("prof diff --mem is compare_to: size and count with changes, biggest change first") {
  auto result = run_prof({"diff", kOld, kNew, "--mem", "--format", "csv"});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "file,line,function,old_size_bytes,size_bytes,size_diff_bytes,old_count,count,count_diff\n"
        "/src/app/solver.cpp,42,assemble,5242880,6291456,1048576,2054,3000,946\n"
        "/src/app/io.cpp,7,load,10240,10240,0,110,110,0\n");
  auto text = run_prof({"diff", kOld, kNew, "--mem"}, {"NO_COLOR=1"});
  CHECK_THAT(text.out,
             Catch::Contains("/src/app/solver.cpp:42:  size=6.00 MiB  (+1.00 MiB),  count=3000  (+946)"));
  auto leaks = run_prof({"diff", kNew, kOld, "--mem", "--view", "leaks", "--format", "csv"});
  CHECK_THAT(leaks.out, Catch::Contains("/src/app/solver.cpp,42,assemble,0,1024,1024,0,1,1\n"));
}

TEST_CASE("bad memory data exits 2 with one line") {
  for (auto name : {"memory/bad_stack_index.json", "memory/bad_frame_index.json"}) {
    auto result = run_prof({"report", "--mem", fixture(name)});
    CHECK(result.exit_code == 2);
    REQUIRE(result.err_lines().size() == 1);
    CHECK_THAT(result.err, Catch::Contains("out of range"));
    CHECK(result.out.empty());
  }
  auto bad_key = run_prof({"report", "--by", "lines", kOld});
  CHECK(bad_key.exit_code == 2);
  CHECK(bad_key.err_lines().size() == 1);
}

TEST_CASE("prof run leaves symbolised snapshots that prof report reads by line") {
  char name[] = "/tmp/prof-memory-run.XXXXXX";
  std::filesystem::path dir = mkdtemp(name);
  auto out = dir / "run";
  // sort allocates through libc; its frames get names from the symbol table even without debug info.
  auto run = run_prof({"run", "-o", out.string(), "--", "/usr/bin/sort", "/etc/os-release"});
  CHECK(run.exit_code == 0);
  CHECK(run.err_lines().size() == 1);  // symbolising adds nothing to the closing line
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    auto snapshot = prof::viewer::read_snapshot_file(entry.path().string());
    if (snapshot.frames.empty()) continue;  // a tracer that records no stacks has nothing to symbolise
    CHECK(snapshot.symbolised);
    CHECK(std::any_of(snapshot.frames.begin(), snapshot.frames.end(),
                      [](const prof::viewer::Frame& f) { return f.function != 0; }));
    auto command = std::string(PROF_TEST_PYTHON) + " " + PROF_TEST_VALIDATOR + " " + entry.path().string();
    CHECK(std::system(command.c_str()) == 0);
  }
  auto report = run_prof({"report", "--mem", out.string()});
  CHECK(report.exit_code == 0);
  std::filesystem::remove_all(dir);
}
