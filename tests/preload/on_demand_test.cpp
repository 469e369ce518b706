// PROF_SNAPSHOT_SIGNAL and PROF_SNAPSHOT_INTERVAL: numbered snapshots written at the next safe point.

#include <catch2/catch.hpp>

#include "shim_run.hpp"

using namespace prof::test;

namespace {

void check_two_numbered_then_final(ShimResult& run_state, const char* program) {
  CHECK(run_state.result.code() == 7);
  REQUIRE(run_state.snapshots.size() == 3);
  const SnapshotFacts& final_one = run_state.snapshots[2];
  std::string pid = std::to_string(final_one.pid);
  CHECK(final_one.file == std::string(program) + "." + pid + ".prof.json");
  CHECK(final_one.status == "exited");
  CHECK(final_one.code == 7);
  for (int i = 0; i < 2; ++i) {
    const SnapshotFacts& numbered = run_state.snapshots[i];
    CHECK(numbered.file == std::string(program) + "." + pid + "." + std::to_string(i + 1) + ".prof.json");
    CHECK(numbered.status == "running");
    CHECK(numbered.sequence == i + 1);
  }
  CHECK(validate(run_state.output.path()) == 0);
}

}  // namespace

TEST_CASE("SIGUSR2 twice, safe point at an allocation: two numbered snapshots, then the final one",
          "[on_demand][needs_malloc_safe_point]") {
  ShimResult run_state;
  run_with_shim(run_state, {more_program("snapshot_on_signal"), "malloc"}, {"PROF_SNAPSHOT_SIGNAL=SIGUSR2"});
  check_two_numbered_then_final(run_state, "snapshot_on_signal");
}

TEST_CASE("signal given by number, safe point at pthread_create", "[on_demand]") {
  ShimResult run_state;
  run_with_shim(run_state, {more_program("snapshot_on_signal"), "thread"},
                {"PROF_SNAPSHOT_SIGNAL=" + std::to_string(SIGUSR2)});
  check_two_numbered_then_final(run_state, "snapshot_on_signal");
}

TEST_CASE("without PROF_SNAPSHOT_SIGNAL the signal keeps its default action", "[on_demand]") {
  ShimResult run_state;
  run_with_shim(run_state, {more_program("snapshot_on_signal"), "thread"});
  CHECK(run_state.result.signal() == SIGUSR2);
  CHECK(run_state.snapshots.empty());
}

TEST_CASE("PROF_SNAPSHOT_INTERVAL=1 writes numbered snapshots while the program allocates",
          "[on_demand][needs_malloc_safe_point]") {
  ShimResult run_state;
  // The program allocates until the first interval snapshot exists: no time limit in the test.
  run_with_shim(run_state, {more_program("snapshot_on_interval"), run_state.output.path().string()},
                {"PROF_SNAPSHOT_INTERVAL=1"});
  CHECK(run_state.result.code() == 3);
  REQUIRE(run_state.snapshots.size() >= 2);
  const SnapshotFacts& first_numbered = run_state.snapshots[0];
  CHECK(first_numbered.sequence == 1);
  CHECK(first_numbered.status == "running");
  CHECK(run_state.snapshots.back().status == "exited");
  CHECK(validate(run_state.output.path()) == 0);
}

// A SIGTERM that lands while a numbered snapshot is being written waits until that file is whole; its handler
// then writes the final snapshot. Handled during the write, it found the writer busy and the process ended
// without one.
TEST_CASE("SIGTERM during a numbered snapshot: that file is whole, and the final snapshot is written",
          "[on_demand][needs_malloc_safe_point]") {
  ShimResult run_state;
  run_with_shim(run_state, {more_program("sigterm_while_writing")}, {"PROF_SNAPSHOT_SIGNAL=SIGUSR2"});
  INFO(run_state.result.err);
  CHECK(run_state.result.signal() == SIGTERM);
  CHECK(run_state.result.err.find("cannot write snapshot") == std::string::npos);
  REQUIRE(run_state.snapshots.size() >= 6);
  int finals = 0;
  for (const SnapshotFacts& facts : run_state.snapshots) {
    if (facts.status == "running") continue;
    ++finals;
    CHECK(facts.status == "signaled");
    CHECK(facts.file == "sigterm_while_writing." + std::to_string(facts.pid) + ".prof.json");
  }
  CHECK(finals == 1);
  CHECK(validate(run_state.output.path()) == 0);
}

TEST_CASE("SIGTERM while another thread writes a slow final snapshot: the handler waits while the file grows",
          "[on_demand]") {
  // Each write of the snapshot takes 700 ms and the first sends SIGTERM: the main thread writes its final
  // snapshot for about 3 s or more while the waiting thread's handler finds it busy. That handler used to
  // give up after 2 s and let SIGTERM end the process with the file half written. Now it waits; then either
  // the main thread's exit or the SIGTERM ends the process, whichever comes first.
  ShimResult run_state;
  const std::string slow = more_program("libslow_snapshot_writes.so");
  run_with_shim(run_state, {more_program("slow_final_snapshot")}, {"LD_PRELOAD=" + slow + ":" + kShimPath});
  INFO(run_state.result.err);
  CHECK((run_state.result.signal() == SIGTERM || run_state.result.code() == 0));
  REQUIRE(run_state.snapshots.size() == 1);
  const SnapshotFacts& facts = run_state.snapshots.front();
  CHECK(facts.status == "exited");
  CHECK(facts.code == 0);
  CHECK(fs::file_size(run_state.output.path() / facts.file) > 3 * 64 * 1024);  // 4 writes or more: 2.8 s
  CHECK(validate(run_state.output.path()) == 0);
  std::size_t left = 0;
  for (const auto& entry : fs::directory_iterator(run_state.output.path()))
    left += entry.path().extension() == ".tmp";
  CHECK(left == 0);
}
