// pprof files opened by Google's pprof itself (built from Debian's sources by build_pprof.sh): the planted
// memory sites and scope trees of tests/viewer/data come back as pprof -top and -traces print them.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>
#include <vector>

#include "export/export_data.hpp"
#include "export/gzip_stream.hpp"
#include "export/pprof.hpp"
#include "export/tool_checks.hpp"
#include "export/tool_run.hpp"
#include "fixtures.hpp"
#include "merge/scope_merge.hpp"
#include "scratch_dir.hpp"

using namespace prof::viewer;
using prof::test::first_word;
using prof::test::fixture;
using prof::test::line_with;
using prof::test::planted;
using prof::test::run_tool;

namespace {

const std::string kPprof = PROF_TEST_PPROF;

bool have_pprof() {
  if (access(kPprof.c_str(), X_OK) == 0) return true;
  WARN("SKIPPED: pprof was not built here (no go or no golang-github-google-pprof-dev: .ci/install-deps)");
  return false;
}

std::string memory_profile(const std::vector<Snapshot>& snapshots) {
  PprofStacks stacks(/*keep_system_frames=*/false);
  for (const auto& snapshot : snapshots)
    stacks.add(snapshot);
  return gzip(pprof_memory_profile(stacks, MemoryView::peak, 2.0));
}

std::string scope_profile(const std::vector<Snapshot>& snapshots) {
  ScopeMerge merge(ScopeTimes::compensated, /*keep_threads=*/true);
  std::vector<Snapshot> processes;
  for (const auto& snapshot : snapshots) {
    merge.add(snapshot);
    processes.push_back(process_summary(snapshot));
  }
  merge.finish();
  return gzip(pprof_scope_profile(merge.thread_trees(), processes, 1.0));
}

std::string pprof(const std::string& options, const std::string& file) {
  auto result = run_tool(kPprof + " -symbolize=none " + options + " " + file);
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

}  // namespace

TEST_CASE("pprof: the file is gzipped, as pprof and Go's tools expect") {
  auto bytes = memory_profile({planted(fixture("memory/app.1001.prof.json"))});
  REQUIRE(bytes.size() > 2);
  CHECK(static_cast<unsigned char>(bytes[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(bytes[1]) == 0x8b);
}

TEST_CASE("pprof: a stream's pieces are gzip members, read back as one file by gzip and by pprof") {
  // Each piece is compressed whole (libdeflate) into a member of its own; an empty stream is one empty
  // member.
  auto stream_of = [](const std::vector<std::string>& pieces) {
    std::string out;
    GzipStream stream([&](std::string_view bytes) { out.append(bytes); });
    for (const auto& piece : pieces)
      stream.write(piece);
    stream.finish();
    return out;
  };
  prof::test::ScratchDir dir;
  std::string big(300000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 7)
    big[i] = static_cast<char>('a' + i % 26);
  auto gunzip = [&](const std::string& name, const std::string& bytes) {
    auto result = run_tool("gzip -dc " + dir.file(name, bytes));
    CHECK(result.exit_code == 0);
    return result.out;
  };
  CHECK(gunzip("three.gz", stream_of({"abc", "", big, "def"})) == "abc" + big + "def");
  CHECK(gunzip("empty.gz", stream_of({})).empty());
  // A profile cut into pieces at field boundaries is still one profile to pprof.
  auto whole = pprof_memory_profile(
      [] {
        PprofStacks stacks(false);
        stacks.add(planted(fixture("memory/app.1001.prof.json")));
        return stacks;
      }(),
      MemoryView::peak, 2.0);
  if (!have_pprof()) return;
  std::vector<std::string> pieces;
  for (std::size_t at = 0; at < whole.size(); at += whole.size() / 3 + 1)
    pieces.push_back(whole.substr(at, whole.size() / 3 + 1));
  // Cut anywhere: the members' bytes join before protobuf reads them.
  auto file = dir.file("pieces.pb.gz", stream_of(pieces));
  CHECK(first_word(line_with(pprof("-top -lines -unit=B -sample_index=alloc_space", file),
                             "assemble /src/app/solver.cpp:42")) == "9437184B");
}

TEST_CASE("pprof: memory sites read back as Go heap profile types, allocator frames left out") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("heap.pb.gz", memory_profile({planted(fixture("memory/app.1001.prof.json"))}));

  // alloc_space: assemble allocated 8 MiB + 1 MiB at two call sites, load 20 KiB + 100 KiB.
  auto top = pprof("-top -lines -unit=B -sample_index=alloc_space", file);
  CHECK(line_with(top, "Build ID: aa55") != "");
  CHECK(first_word(line_with(top, "assemble /src/app/solver.cpp:42")) == "9437184B");
  CHECK(first_word(line_with(top, "load /src/app/io.cpp:7")) == "122880B");
  CHECK(line_with(top, "of 9560064B total") != "");
  CHECK(line_with(top, "operator new") == "");  // the allocator's frames are not the user's code
  CHECK(line_with(top, "allocate") == "");

  CHECK(first_word(line_with(pprof("-top -sample_index=alloc_objects", file), " assemble")) == "2054");
  // inuse: what was still live when the snapshot was written (leaked at exit).
  auto inuse = pprof("-top -unit=B -sample_index=inuse_space", file);
  CHECK(first_word(line_with(inuse, " load")) == "4096B");
  CHECK(first_word(line_with(inuse, " assemble")) == "1024B");
  CHECK(first_word(line_with(pprof("-top -sample_index=inuse_objects", file), " load")) == "2");
  // The default type is the bytes live at the peak, as prof report's default view.
  auto peak = pprof("-top -unit=B", file);
  CHECK(line_with(peak, "Type: peak_space") != "");
  CHECK(first_word(line_with(peak, " assemble")) == "5242880B");
}

TEST_CASE("pprof: -traces shows each stack, callers below the allocating function") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("heap.pb.gz", memory_profile({planted(fixture("memory/app.1001.prof.json"))}));
  auto traces = pprof("-traces -lines -sample_index=alloc_space", file);
  // The 8 MiB stack: assemble (solver.cpp:42) called from main (solver.cpp:10).
  auto at = traces.find("8MB   assemble /src/app/solver.cpp:42");
  REQUIRE(at != std::string::npos);
  auto next = traces.find('\n', at);
  CHECK(traces.substr(next + 1, traces.find('\n', next + 1) - next - 1).find("main /src/app/solver.cpp:10") !=
        std::string::npos);
}

TEST_CASE("pprof: a merged run keeps its ranks apart as the numeric label rank") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("heap.pb.gz", memory_profile({planted(fixture("memory/app.1001.prof.json"), 0),
                                                     planted(fixture("memory/app.1002.prof.json"), 1)}));
  auto tags = pprof("-tags -unit=B", file);
  CHECK(line_with(tags, "rank: Total") != "");
  auto traces = pprof("-traces", file);
  CHECK(line_with(traces, "rank:  0") != "");
  CHECK(line_with(traces, "rank:  1") != "");
  // One rank at a time: rank 1 held 6 MiB in assemble at its peak, rank 0 4 MiB + 1 MiB.
  CHECK(first_word(line_with(pprof("-top -unit=B -tagfocus=rank=1", file), " assemble")) == "6291456B");
  CHECK(first_word(line_with(pprof("-top -unit=B -tagfocus=rank=0", file), " assemble")) == "5242880B");
  // Both: summed, as prof report merges.
  CHECK(first_word(line_with(pprof("-top -unit=B", file), " assemble")) == "11534336B");
}

TEST_CASE("pprof: a single process carries no label") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("heap.pb.gz", memory_profile({planted(fixture("memory/app.1001.prof.json"), 0)}));
  CHECK(line_with(pprof("-traces", file), "rank:") == "");
}

TEST_CASE("pprof: scopes read back as calls and time, self time flat and callees in cum") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("scopes.pb.gz", scope_profile({planted(fixture("scopes/app.2001.prof.json"))}));
  auto top = pprof("-top -unit=ms", file);
  CHECK(line_with(top, "Type: time") != "");
  // fib's self time: 100 + 200 + 300 ms at three depths; work 250 ms (main thread) + 150 ms (worker).
  CHECK(first_word(line_with(top, " fib")) == "600ms");
  CHECK(first_word(line_with(top, " work")) == "400ms");
  CHECK(first_word(line_with(top, " main")) == "100ms");
  CHECK(line_with(top, "of 1200ms total") != "");
  auto main_line = line_with(top, " main");
  CHECK(main_line.find("1000ms") != std::string::npos);  // main's cumulative time: its own total
  auto calls = pprof("-top -sample_index=calls", file);
  CHECK(first_word(line_with(calls, " fib")) == "25");
  CHECK(first_word(line_with(calls, " work")) == "14");
  CHECK(first_word(line_with(calls, " io")) == "5");
  auto traces = pprof("-traces -unit=ms", file);
  auto at = traces.find("300ms   fib");
  REQUIRE(at != std::string::npos);  // fib called from fib called from fib called from main
  CHECK(traces.find("fib\n             fib\n             main", at) != std::string::npos);
}

TEST_CASE("pprof: scopes of two processes are told apart by pid when they have no rank") {
  if (!have_pprof()) return;
  prof::test::ScratchDir dir;
  auto file = dir.file("scopes.pb.gz", scope_profile({planted(fixture("scopes/app.2001.prof.json")),
                                                      planted(fixture("scopes/app.2002.prof.json"))}));
  auto only = pprof("-top -unit=ms -tagfocus=pid=2002", file);
  CHECK(first_word(line_with(only, "ns::Solver::step")) == "200ms");
  CHECK(line_with(only, " fib") == "");
}

TEST_CASE("pprof: only pprof and massif pay for stacks with addresses per process") {
  ExportOptions options;
  options.memory = true;
  ExportData others(options);
  others.add(planted(fixture("memory/app.1001.prof.json")));
  CHECK(others.pprof_stacks().samples().empty());
  options.addressed_stacks = AddressedStacks::all;
  ExportData pprof_data(options);
  pprof_data.add(planted(fixture("memory/app.1001.prof.json")));
  pprof_data.add(planted(fixture("memory/app.1002.prof.json")));
  // 4 + 3 sites, each its own stack after the allocator's frames are left out; 2 processes; 4 stacks.
  CHECK(pprof_data.pprof_stacks().samples().size() == 7);
  CHECK(pprof_data.pprof_stacks().processes().size() == 2);
  CHECK(pprof_data.pprof_stacks().stacks().size() == 4);
  CHECK(pprof_data.pprof_stacks().mappings().size() == 1);  // app only: libstdc++'s frames were left out
}
