// Issue 11: the shim never changes the program it is loaded into. Each program runs plain and under the shim;
// output, exit status and the snapshot's account of the end are compared.

#include <catch2/catch.hpp>

#include <csignal>

#include "shim_run.hpp"

using namespace prof::test;

namespace {

RunResult run_plain(const std::vector<std::string>& argv) {
  TempDir scratch;
  return run(argv, {}, scratch.path());
}

}  // namespace

TEST_CASE("sigset, bsd_signal, sysv_signal, ssignal, siginterrupt keep the shim's view of SIGTERM true",
          "[preload][signals]") {
  for (const char* way : {"sigset", "bsd_signal", "sysv_signal", "ssignal", "siginterrupt"}) {
    INFO(way);
    std::vector<std::string> argv = {more_program("handler_install_ways"), way};
    RunResult plain = run_plain(argv);
    REQUIRE(plain.signal() == SIGTERM);
    ShimResult shim;
    run_with_shim(shim, argv);
    CHECK(shim.result.out == plain.out);
    CHECK(shim.result.out.find(": 0") == std::string::npos);
    CHECK(shim.result.wait_status == plain.wait_status);
    REQUIRE(shim.snapshots.size() == 1);
    CHECK(shim.snapshots[0].status == "signaled");
  }
}

TEST_CASE("SIGTERM on a thread with a small stack ends the process as SIGTERM", "[preload][signals]") {
  // PTHREAD_STACK_MIN (the program's default): the shim's static TLS, which comes off every thread's stack,
  // is under 1 KiB, and the snapshot writer needs 10 KiB: on the thread's own stack the handler died of
  // SIGSEGV.
  std::vector<std::string> argv = {more_program("small_stack_sigterm")};
  RunResult plain = run_plain(argv);
  REQUIRE(plain.signal() == SIGTERM);
  ShimResult shim;
  run_with_shim(shim, argv);
  CHECK(shim.result.out == plain.out);
  CHECK(shim.result.signal() == SIGTERM);
  REQUIRE(shim.snapshots.size() == 1);
  CHECK(shim.snapshots[0].status == "signaled");
  CHECK(validate(shim.output.path()) == 0);
}

TEST_CASE("abort() caught by a handler that siglongjmps out, then exit 0: the snapshot says exited 0",
          "[preload][signals]") {
  std::vector<std::string> argv = {more_program("abort_caught")};
  RunResult plain = run_plain(argv);
  REQUIRE(plain.code() == 0);
  ShimResult shim;
  run_with_shim(shim, argv);
  CHECK(shim.result.out == plain.out);
  CHECK(shim.result.code() == 0);
  REQUIRE(shim.snapshots.size() == 1);
  CHECK(shim.snapshots[0].status == "exited");
  CHECK(shim.snapshots[0].code == 0);
}

TEST_CASE("abort() with a handler that returns: the handler runs once and the process dies of SIGABRT",
          "[preload][signals]") {
  std::vector<std::string> argv = {more_program("abort_caught"), "return"};
  RunResult plain = run_plain(argv);
  REQUIRE(plain.signal() == SIGABRT);
  ShimResult shim;
  run_with_shim(shim, argv);
  CHECK(shim.result.out == plain.out);
  CHECK(shim.result.out == "handler\n");
  CHECK(shim.result.signal() == SIGABRT);
  REQUIRE(shim.snapshots.size() == 1);
  CHECK(shim.snapshots[0].status == "signaled");
}

TEST_CASE("PROF_SNAPSHOT_SIGNAL refuses signals that end, crash or stop the program, with one line",
          "[preload][signals][on_demand]") {
  struct Case {
    const char* value;
    const char* script;
    int signal;
  };
  for (const Case& c : {Case{"SIGTERM", "kill -TERM $$", SIGTERM}, Case{"INT", "kill -INT $$", SIGINT},
                        Case{"11", "kill -SEGV $$", SIGSEGV}, Case{"SIGKILL", "kill -KILL $$", SIGKILL},
                        Case{"SIGHUP", "kill -HUP $$", SIGHUP}}) {
    INFO(c.value);
    ShimResult shim;
    run_with_shim(shim, {"/bin/sh", "-c", c.script}, {std::string("PROF_SNAPSHOT_SIGNAL=") + c.value});
    CHECK(shim.result.signal() == c.signal);
    CHECK(shim.result.err == std::string("prof: warning: PROF_SNAPSHOT_SIGNAL=") + c.value +
                                 " is not a signal the shim can take (SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR, "
                                 "SIGRTMIN+N); using none (no snapshot on a signal)\n");
  }
}

TEST_CASE("PROF_SNAPSHOT_SIGNAL=SIGRTMIN+2 is taken: the signal no longer ends the program",
          "[preload][signals][on_demand]") {
  ShimResult shim;
  // SIGRTMIN is 34 under glibc (NPTL keeps 32 and 33).
  run_with_shim(shim, {"/bin/sh", "-c", "kill -36 $$; exit 4"}, {"PROF_SNAPSHOT_SIGNAL=SIGRTMIN+2"});
  CHECK(shim.result.code() == 4);
  CHECK(shim.result.err.empty());
}

TEST_CASE(
    "bad PROF_DEPTH, PROF_SNAPSHOT_INTERVAL, PROF_SNAPSHOT_SIGNAL values are said once, with the value used",
    "[preload][settings]") {
  struct Case {
    std::string setting, line;
  };
  const std::string interval = "is not a whole number from 1 to 31622400; using ";
  const std::string depth = "is not a whole number from 1 to 256; using ";
  for (const Case& c :
       {Case{"PROF_DEPTH=-1", depth + "64"}, Case{"PROF_DEPTH=abc", depth + "64"},
        Case{"PROF_DEPTH=0", depth + "64"}, Case{"PROF_DEPTH=100000000000000000000", depth + "256"},
        Case{"PROF_SNAPSHOT_INTERVAL=-1", interval + "none (no snapshots on an interval)"},
        Case{"PROF_SNAPSHOT_INTERVAL=abc", interval + "none (no snapshots on an interval)"},
        Case{"PROF_SNAPSHOT_INTERVAL=0", interval + "none (no snapshots on an interval)"},
        Case{"PROF_SNAPSHOT_INTERVAL=99999999999999999999999", interval + "31622400"},
        Case{"PROF_SNAPSHOT_SIGNAL=abc",
             "is not a signal the shim can take (SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR, SIGRTMIN+N); "
             "using none (no snapshot on a signal)"}}) {
    INFO(c.setting);
    ShimResult shim;
    run_with_shim(shim, {"/bin/sh", "-c", "echo out; exit 3"}, {c.setting});
    CHECK(shim.result.code() == 3);
    CHECK(shim.result.out == "out\n");
    CHECK(shim.result.err == "prof: warning: " + c.setting + " " + c.line + "\n");
  }
  // Good values and unset ones say nothing.
  ShimResult quiet;
  run_with_shim(quiet, {"/bin/sh", "-c", "exit 3"},
                {"PROF_SNAPSHOT_INTERVAL=60", "PROF_SNAPSHOT_SIGNAL=USR1", "PROF_DEPTH=256"});
  CHECK(quiet.result.code() == 3);
  CHECK(quiet.result.err.empty());
}

TEST_CASE("a program that reused fd 2 for its own data file finds no shim warning in it",
          "[preload][warning]") {
  TempDir scratch;
  fs::path blocker = scratch.path() / "file";
  std::ofstream(blocker) << "x";
  fs::path plain_data = scratch.path() / "plain.data", shim_data = scratch.path() / "shim.data";
  RunResult plain = run_plain({more_program("reuse_stderr"), plain_data.string()});
  REQUIRE(plain.code() == 0);
  // The snapshot cannot be written (a directory under a file): the shim has a warning to give at exit.
  ShimResult shim;
  RunResult result =
      run({more_program("reuse_stderr"), shim_data.string()},
          {"LD_PRELOAD=" + kShimPath, "PROF_OUTPUT=" + (blocker / "sub").string()}, shim.scratch.path());
  CHECK(result.code() == 0);
  CHECK(read_text(plain_data) == "data\n");
  CHECK(read_text(shim_data) == read_text(plain_data));
  CHECK(result.err.empty());
}

// The shim links its own libstdc++; its exception machinery (pulled in by one range-checked substr) made an
// emergency pool of 72 704 bytes on the program's heap at load, so every block the program made sat 72 720
// bytes further, 16 bytes off its plain cache-line phase: std::map walks ran 25 % slower with the tracer off.
TEST_CASE("with the tracer off the program's blocks land where they land without the shim", "[preload]") {
  std::vector<std::string> argv = {more_program("heap_offset")};
  RunResult plain = run_plain(argv);
  REQUIRE(plain.code() == 0);
  for (const char* sampling : {"PROF_SAMPLE_HZ=0", "PROF_SAMPLE_HZ=199"}) {
    INFO(sampling);
    ShimResult shim;
    run_with_shim(shim, argv, {"PROF_MEMORY=0", sampling});
    CHECK(shim.result.code() == 0);
    CHECK(shim.result.out == plain.out);
  }
}
