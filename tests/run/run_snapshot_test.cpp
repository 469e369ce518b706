// With the real shim: the snapshots prof run collects. Tagged [shim]: they need a libprof_preload.so that
// writes snapshots.
#include <catch2/catch.hpp>

#include "run_test_support.hpp"

using namespace prof::test;

TEST_CASE("prof run leaves a valid snapshot with the program's exit code", "[run][shim]") {
  TempDir tmp;
  const auto dir = tmp.path() / "D";
  const auto result = run_process({kProf, "run", "-o", dir.string(), "--", "sh", "-c", "echo hi; exit 3"});
  CHECK(result.out == "hi\n");
  CHECK(result.exit_code == 3);
  REQUIRE(snapshot_files(dir).size() == 1);
  CHECK(validate_snapshots(dir) == 0);
  CHECK(exit_codes_of_snapshots(dir) == "3\n");
  CHECK(result.err ==
        "prof: 1 snapshot in " + dir.string() + " (read it: prof report " + dir.string() + ")\n");
}

TEST_CASE("prof run records the whole process tree, or only the launched process with --no-follow",
          "[run][shim]") {
  TempDir tmp;
  const auto followed = tmp.path() / "followed";
  const auto alone = tmp.path() / "alone";
  const auto tree = run_process({kProf, "run", "-o", followed.string(), "sh", "-c", "sh -c true; true"});
  const auto root =
      run_process({kProf, "run", "--no-follow", "-o", alone.string(), "sh", "-c", "sh -c true; true"});
  CHECK(tree.exit_code == 0);
  CHECK(root.exit_code == 0);
  const auto tree_snapshots = snapshot_files(followed).size();
  CHECK(tree_snapshots >= 2);
  CHECK(snapshot_files(alone).size() == 1);
  CHECK(validate_snapshots(followed) == 0);
  CHECK(validate_snapshots(alone) == 0);
  CHECK(tree.err == "prof: " + std::to_string(tree_snapshots) + " snapshots in " + followed.string() +
                        " (read them: prof report " + followed.string() + ")\n");
}

TEST_CASE("prof run counts the snapshot of a program killed by a signal the shim catches", "[run][shim]") {
  TempDir tmp;
  const auto result = run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c", "kill -TERM $$"});
  CHECK(result.exit_code == 143);
  REQUIRE(snapshot_files(tmp.path()).size() == 1);
  CHECK(validate_snapshots(tmp.path()) == 0);
}
