// exec under the shim: the old image's snapshot (running, label "exec") before the new program's own; a
// failed exec leaves the process running, and only its final snapshot; --no-follow keeps the shim out of the
// grandchildren.

#include <catch2/catch.hpp>

#include "shim_run.hpp"

using namespace prof::test;

TEST_CASE("sh -c 'exec /bin/true': sh's snapshot labelled exec, then true's", "[exec]") {
  ShimResult run_state;
  run_with_shim(run_state, {"/bin/sh", "-c", "exec /bin/true"});
  CHECK(run_state.result.code() == 0);
  REQUIRE(run_state.snapshots.size() == 2);
  const SnapshotFacts& sh = run_state.snapshots[0];
  const SnapshotFacts& true_program = run_state.snapshots[1];
  CHECK(sh.program == "sh");
  CHECK(sh.status == "running");
  CHECK(sh.label == "exec");
  CHECK(sh.sequence == 0);
  CHECK(true_program.program == "true");
  CHECK(true_program.status == "exited");
  CHECK(true_program.code == 0);
  CHECK(true_program.pid == sh.pid);
  CHECK(validate(run_state.output.path()) == 0);
}

TEST_CASE("a failed execv: the process goes on, one snapshot for the pid, the true exit under the plain name",
          "[exec]") {
  ShimResult run_state;
  run_with_shim(run_state, {more_program("exec_then_exit"), "fail"});
  CHECK(run_state.result.code() == 4);  // 4: execv returned -1 with ENOENT, as it does without the shim
  // The snapshot written before the attempt is gone: it would compete with the real end (issue 11, item 4).
  REQUIRE(run_state.snapshots.size() == 1);
  const SnapshotFacts& only = run_state.snapshots[0];
  CHECK(only.file == "exec_then_exit." + std::to_string(only.pid) + ".prof.json");
  CHECK(only.status == "exited");
  CHECK(only.code == 4);
  CHECK(only.label.empty());
  CHECK(validate(run_state.output.path()) == 0);
}

TEST_CASE("execl and execvp reach the new program, which is traced too", "[exec]") {
  for (const char* how : {"execl", "execvp"}) {
    ShimResult run_state;
    run_with_shim(run_state, {more_program("exec_then_exit"), how});
    CHECK(run_state.result.code() == 0);
    REQUIRE(run_state.snapshots.size() == 2);
    CHECK(run_state.snapshots[0].program == "exec_then_exit");
    CHECK(run_state.snapshots[0].label == "exec");
    CHECK(run_state.snapshots[1].program == "true");
    CHECK(run_state.snapshots[1].code == 0);
    CHECK(validate(run_state.output.path()) == 0);
  }
}

TEST_CASE("no-follow (PROF_FOLLOW=0): a grandchild sees no libprof_preload.so in LD_PRELOAD",
          "[exec][no_follow]") {
  // The grandchild prints its LD_PRELOAD between brackets; a second library in LD_PRELOAD stays.
  std::string script = "sh -c 'echo \"[$LD_PRELOAD]\"'; bash -c 'bash -c \"echo [\\$LD_PRELOAD]\"'; true";
  // After the shim: a library before it that defines exit or __libc_start_main would take them over.
  std::string other = "/lib/x86_64-linux-gnu/libm.so.6";
  SECTION("followed: the grandchildren load the shim") {
    ShimResult run_state;
    run_with_shim(run_state, {"/bin/sh", "-c", script}, {"LD_PRELOAD=" + kShimPath + ":" + other});
    CHECK(run_state.result.code() == 0);
    CHECK(run_state.result.out == "[" + kShimPath + ":" + other + "]\n[" + kShimPath + ":" + other + "]\n");
    CHECK(run_state.snapshots.size() >= 3);
  }
  SECTION("PROF_FOLLOW=0: only the root writes, and the shim is gone from the children's environment") {
    ShimResult run_state;
    run_with_shim(run_state, {"/bin/sh", "-c", script},
                  {"LD_PRELOAD=" + kShimPath + ":" + other, "PROF_FOLLOW=0"});
    CHECK(run_state.result.code() == 0);
    CHECK(run_state.result.out == "[" + other + "]\n[" + other + "]\n");
    REQUIRE(run_state.snapshots.size() == 1);
    CHECK(run_state.snapshots[0].program == "sh");
    CHECK(validate(run_state.output.path()) == 0);
  }
}
