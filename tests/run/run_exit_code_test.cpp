// prof run ends with the program's exit code, the shell's 128+N for a signal, 127/126 for exec failures.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "run_test_support.hpp"

using namespace prof::test;

TEST_CASE("prof run returns the program's exit code and leaves its stdout alone", "[run]") {
  TempDir tmp;
  const auto result =
      run_process({kProf, "run", "-o", (tmp.path() / "D").string(), "--", "sh", "-c", "echo hi; exit 3"}, {},
                  with_empty_shim());
  CHECK(result.out == "hi\n");
  CHECK(result.exit_code == 3);
}

TEST_CASE("prof run returns 128+N when signal N kills the program", "[run]") {
  TempDir tmp;
  const auto killed_by_term =
      run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c", "kill -TERM $$"});
  CHECK(killed_by_term.exit_code == 143);
  const auto killed_by_kill =
      run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c", "kill -KILL $$"});
  CHECK(killed_by_kill.exit_code == 137);
  CHECK(snapshots_under_are_valid(tmp.path()));
}

TEST_CASE("prof run reports a missing program with 127 and exactly one line", "[run]") {
  TempDir tmp;
  ProcessOptions options;
  options.cwd = tmp.path();
  const auto result = run_process({kProf, "run", "prof-no-such-program"}, {}, options);
  CHECK(result.exit_code == 127);
  CHECK(result.err == "prof: error: prof-no-such-program: No such file or directory\n");
  CHECK(result.out.empty());
  // The default directory it made for the run is gone again: nothing ran.
  CHECK(std::filesystem::is_empty(tmp.path()));

  const auto by_path = run_process({kProf, "run", "-o", "new/D/", "--", "./missing", "arg"}, {}, options);
  CHECK(by_path.exit_code == 127);
  CHECK(by_path.err == "prof: error: ./missing: No such file or directory\n");
  CHECK(std::filesystem::is_empty(tmp.path()));  // new/ too: prof created both for the run
}

TEST_CASE("prof run reports a program that is not executable with 126", "[run]") {
  TempDir tmp;
  const auto file = tmp.path() / "not-executable";
  std::ofstream(file) << "echo should not run\n";
  std::filesystem::permissions(file,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto result = run_process({kProf, "run", "-o", (tmp.path() / "D").string(), file.string()});
  CHECK(result.exit_code == 126);
  CHECK(result.err == "prof: error: " + file.string() + ": Permission denied\n");
  CHECK(result.out.empty());
}

TEST_CASE("prof run refuses a missing shim, a missing program and unknown options with 2", "[run]") {
  TempDir tmp;
  ProcessOptions options;
  options.cwd = tmp.path();
  options.env["PROF_PRELOAD"] = (tmp.path() / "lib" / "libprof_preload.so").string();
  const auto no_shim = run_process({kProf, "run", "true"}, {}, options);
  CHECK(no_shim.exit_code == 2);
  CHECK(no_shim.err == "prof: error: " + (tmp.path() / "lib" / "libprof_preload.so").string() +
                           ": libprof_preload.so not found\n");

  const auto no_program = run_process({kProf, "run", "--"});
  CHECK(no_program.exit_code == 2);
  CHECK(no_program.err.starts_with("prof: error: run: no program given"));

  const auto unknown = run_process({kProf, "run", "--bogus", "true"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.starts_with("prof: error: run: unknown option --bogus"));
}
