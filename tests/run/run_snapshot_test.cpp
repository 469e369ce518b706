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

TEST_CASE("prof run finishes megabytes of snapshots in a second start with large pages, as the first would",
          "[run][shim]") {
  TempDir tmp;
  const auto big = tmp.path() / "big";
  const auto small_pages = tmp.path() / "small_pages";
  ProcessOptions options;
  options.env["GLIBC_TUNABLES"] = "glibc.malloc.perturb=0";
  const auto result =
      run_process({kProf, "run", "-o", big.string(), "--", kProbe, "stacks", "7"}, {}, options);
  options.env["PROF_LARGE_PAGES"] = "0";
  const auto reference =
      run_process({kProf, "run", "-o", small_pages.string(), "--", kProbe, "stacks", "7"}, {}, options);
  CHECK(result.exit_code == 7);
  CHECK(reference.exit_code == 7);
  REQUIRE(snapshot_files(big).size() == 1);
  CHECK(std::filesystem::file_size(snapshot_files(big).front()) > (std::uintmax_t{3} << 20));  // restarted
  CHECK(validate_snapshots(big) == 0);
  CHECK(result.err ==
        "prof: 1 snapshot in " + big.string() + " (read it: prof report " + big.string() + ")\n");
  // Symbolised as in one start: the same report, the probe's functions by name.
  const auto report = run_process({kProf, "report", "--mem", "--format", "csv", big.string()});
  const auto expected = run_process({kProf, "report", "--mem", "--format", "csv", small_pages.string()});
  CHECK(report.exit_code == 0);
  CHECK(report.out.find("branch<0>") != std::string::npos);
  CHECK(report.out == expected.out);
}

TEST_CASE("prof run leaves GLIBC_TUNABLES to the program as the user set it", "[run][shim]") {
  TempDir tmp;
  const std::vector<std::string> show = {"sh", "-c", "printf '%s' \"${GLIBC_TUNABLES-unset}\""};
  for (const char* value : {"", "glibc.malloc.perturb=0", "unset"}) {
    INFO(value);
    ProcessOptions options;
    if (std::string(value) == "unset")
      options.env["GLIBC_TUNABLES"] = std::nullopt;
    else
      options.env["GLIBC_TUNABLES"] = value;
    std::vector<std::string> command = {kProf, "run", "-o", (tmp.path() / value).string(), "--"};
    command.insert(command.end(), show.begin(), show.end());
    const auto result = run_process(command, {}, options);
    CHECK(result.exit_code == 0);
    CHECK(result.out == value);
  }
}
