// `prof timeit` as hyperfine users expect it: commands run without a shell when they need none, the shell's
// start-up subtracted when they do, --prepare/--setup, parameter runs, exports.
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "error.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"
#include "timeit_command/command_words.hpp"
#include "timeit_command/parameters.hpp"

using namespace prof::viewer;
using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace {

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("a command without shell syntax that names a program runs directly; others through /bin/sh") {
  CHECK_FALSE(needs_shell("sleep 0.01"));
  CHECK_FALSE(needs_shell("xz -T2 -k -f -c big.tar"));
  for (const char* command : {"a | b", "a > out", "a && b", "echo $HOME", "echo 'x y'", "ls *.c", "FOO=1 a",
                              "a; b", "(a)", "echo `a`", "a # c", "cd ~"})
    CHECK(needs_shell(command));
  auto direct = invocation_for("sleep 0.01", ShellMode::automatic);
  CHECK_FALSE(direct.through_shell);
  CHECK(direct.argv == std::vector<std::string>{"sleep", "0.01"});
  CHECK(invocation_for("sleep 0.01 | cat", ShellMode::automatic).through_shell);
  CHECK(invocation_for("exit 3", ShellMode::automatic).through_shell);  // a builtin, no program
  CHECK(invocation_for("sleep 0.01", ShellMode::shell).argv ==
        std::vector<std::string>{"/bin/sh", "-c", "sleep 0.01"});
  CHECK_THROWS_AS(invocation_for("a | b", ShellMode::none), UserError);
  CHECK_THROWS_AS(invocation_for("   ", ShellMode::automatic), UserError);
  CHECK(split_words("  a\tb  c ") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("parameter runs expand {NAME} into one command per value") {
  auto scan = parameter_scan({"n", "1", "7"}, 3);
  CHECK(scan.values == std::vector<std::string>{"1", "4", "7"});
  auto list = parameter_list({"t", "1,2,4"});
  CHECK(
      expand_parameter({"xz -T{t} f", "zstd -T{t} f"}, list) ==
      std::vector<std::string>{"xz -T1 f", "xz -T2 f", "xz -T4 f", "zstd -T1 f", "zstd -T2 f", "zstd -T4 f"});
  CHECK(expand_parameter({"a {n} {n}"}, Parameter{"n", {"5"}}) == std::vector<std::string>{"a 5 5"});
  CHECK_THROWS_AS(expand_parameter({"sleep 1"}, list), UserError);
  CHECK_THROWS_AS(parameter_scan({"n", "5", "1"}, 1), UserError);
  CHECK_THROWS_AS(parameter_scan({"n", "a", "3"}, 1), UserError);
  CHECK_THROWS_AS(parameter_list({"n", "1,,2"}), UserError);
}

TEST_CASE("prof timeit -N runs programs without a shell; a shell's start-up is said and subtracted") {
  ScratchDir dir;
  auto direct = run_prof({"timeit", "-N", "--runs", "3", "-o", dir.path("a.prof.json"), "true"});
  CHECK(direct.exit_code == 0);
  CHECK_THAT(direct.out, !Catch::Contains("shell start-up"));
  auto refused = run_prof({"timeit", "-N", "--runs", "3", "true | cat"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err_lines().size() == 1);
  CHECK_THAT(refused.err, Catch::Contains("--shell=sh"));
  auto shell = run_prof({"timeit", "--runs", "3", "-o", dir.path("b.prof.json"), "true | cat"});
  CHECK(shell.exit_code == 0);
  CHECK_THAT(shell.out, Catch::StartsWith("shell start-up subtracted"));
  auto missing = run_prof({"timeit", "-N", "--runs", "2", "no-such-program-of-prof"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err_lines().size() == 1);
}

TEST_CASE("prof timeit runs --prepare before every run, --setup once per command; both untimed") {
  ScratchDir dir;
  auto prepared = dir.path("prepare.log"), set_up = dir.path("setup.log");
  auto result =
      run_prof({"timeit", "--runs", "4", "--warmup", "1", "-o", dir.path("p.prof.json"), "--prepare",
                "echo p >> " + prepared, "--setup", "echo s >> " + set_up, "true", "sleep 0"});
  REQUIRE(result.exit_code == 0);
  CHECK(count_lines(read_file(prepared)) == 2 * (4 + 1));  // two commands, warm-up and timed runs
  CHECK(count_lines(read_file(set_up)) == 2);
  auto failing = run_prof({"timeit", "--runs", "2", "--prepare", "exit 4", "true"});
  CHECK(failing.exit_code == 2);
  CHECK_THAT(failing.err, Catch::Contains("--prepare"));
}

TEST_CASE("prof timeit --parameter-list times one command per value; exports carry every command") {
  ScratchDir dir;
  auto json = dir.path("r.json"), csv = dir.path("r.csv"), md = dir.path("r.md");
  auto result = run_prof({"timeit", "--runs", "3", "--warmup", "0", "-o", dir.path("q.prof.json"),
                          "--parameter-list", "s", "0,0.001,0.002", "--export-json", json, "--export-csv",
                          csv, "--export-markdown", md, "sleep {s}"});
  REQUIRE(result.exit_code == 0);
  for (const char* name : {"'sleep 0'", "'sleep 0.001'", "'sleep 0.002'"})
    CHECK_THAT(result.out, Catch::Contains(name));
  auto csv_text = read_file(csv);
  CHECK_THAT(csv_text, Catch::StartsWith("command,mean,stddev,median,user,system,min,max\n"));
  CHECK(count_lines(csv_text) == 4);
  auto json_text = read_file(json);
  CHECK_THAT(json_text, Catch::Contains("\"command\": \"sleep 0.002\""));
  CHECK_THAT(json_text, Catch::Contains("\"exit_codes\": [0, 0, 0]"));
  std::string check = std::string(PROF_TEST_PYTHON) +
                      " -c 'import json,sys; r=json.load(open(sys.argv[1]))[\"results\"]; "
                      "sys.exit(0 if len(r)==3 and all(len(x[\"times\"])==3 for x in r) else 1)' " +
                      json;
  CHECK(std::system(check.c_str()) == 0);
  CHECK(count_lines(read_file(md)) == 2 + 3);
}
