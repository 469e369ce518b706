// The last line of prof run: how many snapshots this run wrote, and where.
#include <catch2/catch.hpp>
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
                          ": static or setuid program, or the program was killed by SIGKILL\n");
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
