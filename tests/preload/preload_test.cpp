// End-to-end: real programs run with LD_PRELOAD=libprof_preload.so must behave exactly as without it and
// leave one valid snapshot per process that says how they ended.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <csignal>
#include <map>
#include <set>

#include "../core/snapshot_reader.hpp"
#include "../core/test_support.hpp"

using namespace prof::test;

namespace {

const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

std::string program(const char* name) {
  return std::string(PROF_PRELOAD_PROGRAMS_DIR) + "/" + name;
}

struct ShimRun {
  TempDir output;
  TempDir scratch;
  RunResult result;
  std::vector<fs::path> files;
  std::vector<SnapshotMeta> snapshots;
};

// Runs argv under the shim with snapshots going to a fresh directory; validates every snapshot.
void run_under_shim(ShimRun& run_state, const std::vector<std::string>& argv,
                    std::vector<std::string> extra_env = {}) {
  extra_env.insert(extra_env.begin(),
                   {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + run_state.output.path().string()});
  run_state.result = run(argv, extra_env, run_state.scratch.path());
  run_state.files = snapshots_in(run_state.output.path());
  for (const auto& file : run_state.files)
    run_state.snapshots.push_back(read_snapshot_meta(file));
  if (!run_state.files.empty()) CHECK(validate(run_state.output.path()) == 0);
  // Nothing but finished snapshots is left behind.
  CHECK(entries_in(run_state.output.path()).size() == run_state.files.size());
}

RunResult run_plain(const std::vector<std::string>& argv) {
  TempDir scratch;
  return run(argv, {}, scratch.path());
}

}  // namespace

TEST_CASE("/bin/true leaves one snapshot with exit code 0", "[preload]") {
  ShimRun r;
  run_under_shim(r, {"/bin/true"});
  REQUIRE(r.result.code() == 0);
  CHECK(r.result.err.empty());
  REQUIRE(r.snapshots.size() == 1);
  const auto& m = r.snapshots[0];
  CHECK(m.writer == "preload");
  CHECK(m.program == "true");
  CHECK(m.argv == std::vector<std::string>{"/bin/true"});
  CHECK(m.exit_status == "exited");
  CHECK(m.code == 0);
  CHECK(m.threads_seen == 1);
  CHECK_FALSE(m.has_rank);
  CHECK(r.files[0].filename().string() == "true." + std::to_string(m.pid) + ".prof.json");
  CHECK(m.max_rss_bytes > 0);
  CHECK(m.cores_online >= 1);
  CHECK(m.start_time.size() == 27);
  CHECK(m.wall_seconds >= 0);
  bool has_output_env = false;
  for (const auto& [name, value] : m.env)
    has_output_env |= name == "PROF_OUTPUT" && value == r.output.path().string();
  CHECK(has_output_env);
}

TEST_CASE("sh -c 'echo hi; exit 3' keeps its output and code, snapshot says 3", "[preload]") {
  std::vector<std::string> argv = {"/bin/sh", "-c", "echo hi; exit 3"};
  RunResult plain = run_plain(argv);
  ShimRun r;
  run_under_shim(r, argv);
  CHECK(r.result.out == "hi\n");
  CHECK(r.result.out == plain.out);
  CHECK(r.result.err == plain.err);
  CHECK(r.result.code() == 3);
  CHECK(r.result.wait_status == plain.wait_status);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].exit_status == "exited");
  CHECK(r.snapshots[0].code == 3);
  CHECK(r.snapshots[0].argv == argv);
}

TEST_CASE("a program returning 7 from main", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("return_seven")});
  CHECK(r.result.out == "seven\n");
  CHECK(r.result.code() == 7);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].code == 7);
  CHECK(r.snapshots[0].program == "return_seven");
}

TEST_CASE("a program calling _exit(5)", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("underscore_exit_five")});
  CHECK(r.result.code() == 5);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].exit_status == "exited");
  CHECK(r.snapshots[0].code == 5);
}

TEST_CASE("sh killing itself with SIGTERM dies of SIGTERM, snapshot says signaled 15", "[preload]") {
  ShimRun r;
  run_under_shim(r, {"/bin/sh", "-c", "kill -TERM $$"});
  CHECK(r.result.signal() == SIGTERM);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].exit_status == "signaled");
  CHECK(r.snapshots[0].signal == 15);
  CHECK(r.snapshots[0].signal_name == "SIGTERM");
}

TEST_CASE("a segfaulting program still dies of SIGSEGV, untouched: a crash stays a crash", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("segfault")});
  CHECK(r.result.out == "before\n");
  CHECK(r.result.signal() == SIGSEGV);
  CHECK(r.snapshots.empty());
}

TEST_CASE("a program that calls abort() dies of SIGABRT and leaves a snapshot saying so", "[preload]") {
  ShimRun r;
  run_under_shim(r, {"/usr/bin/python3", "-c", "import os; print('before', flush=True); os.abort()"});
  CHECK(r.result.out == "before\n");
  CHECK(r.result.signal() == SIGABRT);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].exit_status == "signaled");
  CHECK(r.snapshots[0].signal == SIGABRT);
  CHECK(r.snapshots[0].signal_name == "SIGABRT");
}

// A SIGTERM sent to a fork child at once (a pool's terminate() under load, before the worker ever ran) is
// handled as the child first returns from fork, before fork's handlers in the child have made it a process
// of its own: it must still leave its snapshot, not be taken for its parent.
TEST_CASE("fork children killed at once each still write their own snapshot", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("fork_killed_at_once")});
  INFO(r.result.err);
  REQUIRE(r.result.code() == 0);
  REQUIRE(r.snapshots.size() == 5);
  int children = 0;
  for (const auto& m : r.snapshots) {
    if (m.exit_status != "signaled") continue;
    ++children;
    CHECK(m.signal == SIGTERM);
    CHECK(m.pid != r.snapshots[0].ppid);
  }
  CHECK(children == 4);
}

TEST_CASE("fork children each write their own snapshot with the parent as ppid", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("fork_three")});
  REQUIRE(r.result.code() == 0);
  REQUIRE(r.snapshots.size() == 4);
  std::istringstream lines(r.result.out);
  std::string word;
  long parent = 0;
  std::map<long, long> child_ppid;
  while (lines >> word) {
    if (word == "parent") {
      lines >> parent;
    } else {
      long pid = 0, ppid = 0;
      lines >> pid >> ppid;
      child_ppid[pid] = ppid;
    }
  }
  REQUIRE(child_ppid.size() == 3);
  std::map<long, SnapshotMeta> by_pid;
  for (const auto& m : r.snapshots)
    by_pid[m.pid] = m;
  REQUIRE(by_pid.count(parent) == 1);
  CHECK(by_pid[parent].code == 0);
  std::set<long> codes;
  for (const auto& [pid, ppid] : child_ppid) {
    REQUIRE(by_pid.count(pid) == 1);
    CHECK(by_pid[pid].ppid == parent);
    CHECK(ppid == parent);
    CHECK(by_pid[pid].threads_seen == 1);
    codes.insert(by_pid[pid].code);
  }
  CHECK(codes == std::set<long>{10, 11, 12});
}

TEST_CASE("a vfork child calling _exit writes nothing and leaves the parent's code alone", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("vfork_exit")});
  CHECK(r.result.code() == 4);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].code == 4);
}

TEST_CASE("three std::threads make threads_seen 4", "[preload]") {
  ShimRun r;
  run_under_shim(r, {program("three_threads")});
  CHECK(r.result.code() == 0);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].threads_seen == 4);
}

TEST_CASE("PROF_FOLLOW=0 with PROF_ROOT_PID: only the root process writes", "[preload]") {
  ShimRun r;
  // PROF_ROOT_PID names a pid none of these processes has.
  run_under_shim(r, {"/bin/sh", "-c", "/bin/true; /bin/true"}, {"PROF_FOLLOW=0", "PROF_ROOT_PID=1"});
  CHECK(r.result.code() == 0);
  CHECK(r.snapshots.empty());

  // With follow on (the default) the same command leaves three.
  ShimRun followed;
  run_under_shim(followed, {"/bin/sh", "-c", "/bin/true; /bin/true"});
  CHECK(followed.snapshots.size() == 3);
}

TEST_CASE("PROF_FOLLOW=0: the root pid writes, also after exec, its children do not", "[preload]") {
  // A wrapper shell learns its own pid ($$) and execs the real command with PROF_ROOT_PID set to it, the
  // way prof run passes the pid of its direct child.
  ShimRun r;
  std::string script = "PROF_FOLLOW=0 PROF_ROOT_PID=$$ exec " + program("fork_three");
  run_under_shim(r, {"/bin/sh", "-c", script});
  CHECK(r.result.code() == 0);
  // The shell leaves its image's snapshot before exec (exit status running); fork_three's children are not
  // the root.
  REQUIRE(r.snapshots.size() == 2);
  CHECK(r.snapshots[0].program == "fork_three");
  CHECK(r.snapshots[0].code == 0);
  CHECK(r.snapshots[1].program == "sh");
  CHECK(r.snapshots[1].exit_status == "running");
}

TEST_CASE("launcher rank variables give rank, size and the file name", "[preload]") {
  ShimRun r;
  run_under_shim(r, {"/bin/true"}, {"OMPI_COMM_WORLD_RANK=3", "OMPI_COMM_WORLD_SIZE=8"});
  REQUIRE(r.snapshots.size() == 1);
  const auto& m = r.snapshots[0];
  CHECK(m.rank == 3);
  CHECK(m.size == 8);
  CHECK(m.rank_source == "OMPI_COMM_WORLD_RANK");
  CHECK(r.files[0].filename().string() == "true.r0003." + std::to_string(m.pid) + ".prof.json");

  ShimRun slurm;
  run_under_shim(slurm, {"/bin/true"}, {"SLURM_PROCID=2"});
  REQUIRE(slurm.snapshots.size() == 1);
  CHECK_FALSE(slurm.snapshots[0].has_rank);
}

TEST_CASE("a program's own signal handling sees no difference", "[preload]") {
  std::vector<std::string> argv = {program("own_sigterm")};
  RunResult plain = run_plain(argv);
  REQUIRE(plain.code() == 0);
  ShimRun r;
  run_under_shim(r, argv);
  CHECK(r.result.out == plain.out);
  CHECK(r.result.code() == 0);
  REQUIRE(r.snapshots.size() == 1);
  CHECK(r.snapshots[0].code == 0);
}

TEST_CASE("an output directory that cannot be written: one warning, same exit code", "[preload]") {
  // root ignores directory permissions, so the directory is made impossible instead: a path under a file.
  TempDir scratch;
  fs::path blocker = scratch.path() / "file";
  std::ofstream(blocker) << "x";
  ShimRun r;
  RunResult result =
      run({"/bin/sh", "-c", "echo out; exit 3"},
          {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + (blocker / "sub").string()}, r.scratch.path());
  CHECK(result.code() == 3);
  CHECK(result.out == "out\n");
  std::string expected = "prof: warning: cannot write snapshot to " + (blocker / "sub").string() + ": ";
  CHECK(result.err.rfind(expected, 0) == 0);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("a missing output directory is created (one level)", "[preload]") {
  TempDir base;
  fs::path output = base.path() / "new";
  TempDir scratch;
  RunResult result =
      run({"/bin/true"}, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + output.string()}, scratch.path());
  CHECK(result.code() == 0);
  REQUIRE(fs::is_directory(output));
  CHECK(snapshots_in(output).size() == 1);
  CHECK(validate(output) == 0);
}

TEST_CASE("a relative PROF_OUTPUT is resolved against the start directory", "[preload]") {
  TempDir base;
  TempDir scratch;
  // The shell changes directory before it exits; the snapshot must still land in base/out.
  std::string script = "cd / && exit 0";
  RunResult result = run({"/bin/sh", "-c",
                          "cd " + base.path().string() + " && exec env PROF_OUTPUT=out " +
                              "LD_PRELOAD=" + kShim + " /bin/sh -c '" + script + "'"},
                         {}, scratch.path());
  CHECK(result.code() == 0);
  REQUIRE(fs::is_directory(base.path() / "out"));
  CHECK(snapshots_in(base.path() / "out").size() == 1);
}
