// The program gets prof's stdin, stdout, stderr, terminal and every argument after PROGRAM.
#include <catch2/catch.hpp>

#include "run_test_support.hpp"

using namespace prof::test;

TEST_CASE("prof run passes stdin through to the program", "[run]") {
  TempDir tmp;
  const auto result =
      run_process({kProf, "run", "-o", tmp.path().string(), "--", "cat"}, "abc", with_empty_shim());
  CHECK(result.out == "abc");
  CHECK(result.exit_code == 0);
}

TEST_CASE("prof run gives the program the arguments after PROGRAM, options included", "[run]") {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  const auto separated = run_process({kProf, "run", "-o", dir, "--", "sh", "-c", "printf '%s|' \"$@\"", "x",
                                      "-o", "--no-follow", "--help", "--"},
                                     {}, with_empty_shim());
  CHECK(separated.out == "-o|--no-follow|--help|--|");
  const auto unseparated =
      run_process({kProf, "run", "-o", dir, "sh", "-c", "printf '%s|' \"$@\"", "x", "-la", "-o", "y"}, {},
                  with_empty_shim());
  CHECK(unseparated.out == "-la|-o|y|");
  CHECK(unseparated.exit_code == 0);
}

TEST_CASE("prof run ls -la / works", "[run]") {
  TempDir tmp;
  ProcessOptions options;
  options.cwd = tmp.path();
  const auto result = run_process({kProf, "run", "ls", "-la", "/"}, {}, options);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find(" ..\n") != std::string::npos);  // -a lists the parent entry
  CHECK(result.out.find("total ") == 0);                 // -l starts with the block total
  CHECK(snapshots_under_are_valid(tmp.path()));
}

TEST_CASE("prof run leaves the terminal to the program, in the foreground", "[run][tty]") {
  TempDir tmp;
  const std::string command = "'" + kProf + "' run -o '" + tmp.path().string() + "' '" + kProbe + "' tty";
  // script gives prof a pseudo-terminal as its controlling terminal, stdin and stdout.
  const auto on_tty = run_process({"script", "-qec", command, "/dev/null"});
  CHECK(on_tty.exit_code == 0);
  CHECK(on_tty.out.find("stdin_tty=1 stdout_tty=1 foreground=1") != std::string::npos);

  const auto on_pipes = run_process({kProf, "run", "-o", tmp.path().string(), kProbe, "tty"});
  CHECK(on_pipes.out == "stdin_tty=0 stdout_tty=0 foreground=0\n");
  CHECK(snapshots_under_are_valid(tmp.path()));
}

TEST_CASE("prof run --help shows examples", "[run]") {
  const auto result = run_process({kProf, "run", "--help"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("Examples:\n  prof run ./solver input.dat") != std::string::npos);
  CHECK(result.out.find("--no-follow") != std::string::npos);
}

TEST_CASE("prof run hands the program the signal dispositions prof was given", "[run]") {
  // prof report ignores SIGPIPE for itself; exec keeps SIG_IGN, so a leak would break `yes | head` pipelines
  // inside the profiled program.
  TempDir tmp;
  const auto direct = run_process({"grep", "^SigIgn", "/proc/self/status"}, {}, {});
  const auto under_prof =
      run_process({kProf, "run", "-o", tmp.path().string(), "--", "grep", "^SigIgn", "/proc/self/status"}, {},
                  with_empty_shim());
  REQUIRE(direct.exit_code == 0);
  CHECK(under_prof.out == direct.out);
}
