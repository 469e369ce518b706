// The last line of prof run: how many snapshots this run wrote, and where.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "run_test_support.hpp"

using namespace prof::test;

TEST_CASE("prof run counts only the snapshots written during the run", "[run]") {
  TempDir tmp;
  const auto dir = tmp.path() / "reused";
  std::filesystem::create_directory(dir);
  std::ofstream(dir / "old.7.prof.json") << "{}";  // from an earlier run
  const auto result =
      run_process({kProf, "run", "-o", dir.string(), "sh", "-c",
                   "cd \"$PROF_OUTPUT\" && touch a.1.prof.json b.2.prof.json .c.3.tmp notes.txt"},
                  {}, with_empty_shim());
  CHECK(result.exit_code == 0);
  CHECK(result.err ==
        "prof: 2 snapshots in " + dir.string() + " (read them: prof report " + dir.string() + ")\n");
}

TEST_CASE("prof run says why there may be no snapshot", "[run]") {
  TempDir tmp;
  const auto result = run_process({kProf, "run", "-o", tmp.path().string(), "true"}, {}, with_empty_shim());
  CHECK(result.exit_code == 0);
  CHECK(result.err == "prof: no snapshot written in " + tmp.path().string() +
                          ": the program did not load the shim (a static or setuid program, or one that "
                          "removed LD_PRELOAD)\n");
}

TEST_CASE("prof run quotes a directory the shell would split", "[run]") {
  TempDir tmp;
  const auto dir = tmp.path() / "with space";
  const auto result =
      run_process({kProf, "run", "-o", dir.string(), "sh", "-c", "touch \"$PROF_OUTPUT/p.1.prof.json\""}, {},
                  with_empty_shim());
  const std::string quoted = "'" + dir.string() + "'";
  CHECK(result.err == "prof: 1 snapshot in " + quoted + " (read it: prof report " + quoted + ")\n");
}

TEST_CASE("prof run says that the program crashed, and with which signal", "[run]") {
  TempDir tmp;
  const auto no_snapshot =
      run_process({kProf, "run", "-o", tmp.path().string(), kProbe, "segv"}, {}, with_empty_shim());
  CHECK(no_snapshot.exit_code == 139);
  CHECK(no_snapshot.err ==
        "prof: no snapshot written in " + tmp.path().string() +
            ": the program crashed with SIGSEGV (Segmentation fault) before the shim could "
            "write one\n");
  const auto killed = run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c", "kill -KILL $$"}, {},
                                  with_empty_shim());
  CHECK(killed.exit_code == 137);
  CHECK(killed.err == "prof: no snapshot written in " + tmp.path().string() +
                          ": the program was killed by SIGKILL (Killed) before the shim could write one\n");
  // A snapshot written as it crashed does not hide the crash.
  const auto with_snapshot = run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c",
                                          "touch \"$PROF_OUTPUT/sh.1.prof.json\"; kill -SEGV $$"},
                                         {}, with_empty_shim());
  CHECK(with_snapshot.exit_code == 139);
  CHECK(with_snapshot.err == "prof: the program crashed with SIGSEGV (Segmentation fault); 1 snapshot in " +
                                 tmp.path().string() + " (read it: prof report " + tmp.path().string() +
                                 ")\n");
}

TEST_CASE("prof run says that a binary with file capabilities runs untraced", "[run]") {
  TempDir tmp;
  const auto capped = tmp.path() / "capped";
  std::filesystem::copy_file(kProbe, capped);
  std::filesystem::permissions(capped, std::filesystem::perms::owner_all);
  // Needs setcap (libcap2-bin), CAP_SETFCAP and a file system with security xattrs.
  if (run_process({"setcap", "cap_net_raw+p", capped.string()}).exit_code != 0) {
    WARN("setcap cannot give " << capped << " file capabilities here: not tested");
    return;
  }
  const auto result = run_process({kProf, "run", "-o", (tmp.path() / "D").string(), capped.string(), "tty"},
                                  {}, with_empty_shim());
  CHECK(result.exit_code == 0);
  CHECK(result.out == "stdin_tty=0 stdout_tty=0 foreground=0\n");
  CHECK(result.err ==
        "prof: " + capped.string() + " is a binary with file capabilities: it runs untraced, no snapshot\n");
}
