// Signals sent to prof run reach the program; the terminal's own signals are not sent twice.
#include <signal.h>

#include <catch2/catch.hpp>
#include <string>

#include "run_test_support.hpp"

using namespace prof::test;

TEST_CASE("prof run forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to the program", "[run][signal]") {
  const int signal = GENERATE(SIGINT, SIGTERM, SIGHUP, SIGQUIT);
  CAPTURE(signal);
  TempDir tmp;
  Process prof({kProf, "run", "-o", tmp.path().string(), "--", kProbe, "trap", "42"});
  // "ready" comes after the probe trapped the signals: from then on the signal cannot be lost.
  REQUIRE(prof.read_stdout_until("ready\n") == "ready\n");
  REQUIRE(::kill(prof.pid(), signal) == 0);
  const auto result = prof.finish();
  CHECK(result.exit_code == 42);
  CHECK(snapshots_under_are_valid(tmp.path()));
}

TEST_CASE("prof run does not forward a signal typed at the terminal", "[run][signal][tty]") {
  TempDir tmp;
  // `exec`: script runs the command through $SHELL, and a shell that stays (dash does) would sit in the
  // foreground group, take the Ctrl-C itself and end the session with 130.
  const std::string command =
      "exec '" + kProf + "' run -o '" + tmp.path().string() + "' '" + kProbe + "' count-sigint";
  Process script({"script", "-qec", command, "/dev/null"});
  const std::string ready = script.read_stdout_until("\n");
  const auto at = ready.find("ready ");
  REQUIRE(at != std::string::npos);
  const pid_t prof_pid = std::stoi(ready.substr(at + 6));
  // Ctrl-C: the terminal signals its foreground process group, which holds prof but not the probe (it left),
  // so the probe can only get this SIGINT if prof forwards it. A forwarded one would not be noticed
  // otherwise: it merges with the terminal's while both are pending.
  script.write_stdin("\x03");
  // The terminal echoes ^C after it sent SIGINT; prof then has it pending and takes it before the
  // lower-priority SIGTERM, which it forwards: the probe exits 10 + the SIGINTs it got.
  script.read_stdout_until("^C");
  REQUIRE(::kill(prof_pid, SIGTERM) == 0);
  const auto result = script.finish();
  CHECK(result.out.find("INT") == std::string::npos);
  CHECK(result.exit_code == 10);
  CHECK(snapshots_under_are_valid(tmp.path()));
}

TEST_CASE("prof run forwards every signal a user can send, and survives them", "[run][signal]") {
  // Behind the last one prof forwards a fence (SIGRTMIN+5): the probe exits 42 when SIGNAL reached it first.
  // Without forwarding, prof died of SIGUSR1 (138) or SIGRTMIN+5, or let SIGWINCH and SIGCONT go nowhere.
  const int signal = GENERATE(SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGURG, SIGTSTP, SIGRTMIN + 2);
  CAPTURE(signal);
  TempDir tmp;
  Process prof({kProf, "run", "-o", tmp.path().string(), "--", kProbe, "fence", std::to_string(signal)},
               with_empty_shim());
  REQUIRE(prof.read_stdout_until("ready\n") == "ready\n");
  REQUIRE(::kill(prof.pid(), signal) == 0);
  REQUIRE(::kill(prof.pid(), SIGRTMIN + 5) == 0);
  const auto result = prof.finish();
  CHECK(result.exit_code == 42);
}

TEST_CASE("prof run passes a realtime signal's value on", "[run][signal]") {
  TempDir tmp;
  Process prof({kProf, "run", "-o", tmp.path().string(), "--", kProbe, "fence", std::to_string(SIGRTMIN + 1)},
               with_empty_shim());
  REQUIRE(prof.read_stdout_until("ready\n") == "ready\n");
  union sigval value {};
  value.sival_int = 7;
  REQUIRE(::sigqueue(prof.pid(), SIGRTMIN + 1, value) == 0);
  REQUIRE(::kill(prof.pid(), SIGRTMIN + 5) == 0);
  CHECK(prof.finish().exit_code == 42);
}
