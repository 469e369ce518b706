// What the program finds in its environment, and where its snapshots go.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "run_test_support.hpp"

using namespace prof::test;

namespace {

const char* kShowEnvironment =
    "printf '%s\\n' \"LD_PRELOAD=$LD_PRELOAD\" \"PROF_OUTPUT=$PROF_OUTPUT\" "
    "\"PROF_FOLLOW=${PROF_FOLLOW-unset}\" "
    "\"PROF_ROOT_PID=${PROF_ROOT_PID-unset}\" \"SELF=$$\"";

}  // namespace

TEST_CASE("prof run preloads the shim first and tells it the absolute output directory", "[run]") {
  TempDir tmp;
  ProcessOptions options = with_empty_shim();
  options.cwd = tmp.path();
  options.env["LD_PRELOAD"] = "";    // set but empty: nothing to keep
  options.env["PROF_FOLLOW"] = "0";  // left over from an enclosing --no-follow run: must not leak through
  options.env["PROF_ROOT_PID"] = "1";
  const auto result =
      run_process({kProf, "run", "-o", "out/nested", "sh", "-c", kShowEnvironment}, {}, options);
  REQUIRE(result.exit_code == 0);
  const std::string shim = PROF_RUN_EMPTY_PRELOAD;
  const auto self = result.out.substr(result.out.find("SELF="));
  CHECK(result.out == "LD_PRELOAD=" + shim + "\nPROF_OUTPUT=" + (tmp.path() / "out" / "nested").string() +
                          "\nPROF_FOLLOW=unset\nPROF_ROOT_PID=unset\n" + self);
  CHECK(std::filesystem::is_directory(tmp.path() / "out" / "nested"));
}

TEST_CASE("prof run keeps an existing LD_PRELOAD after the shim", "[run]") {
  TempDir tmp;
  ProcessOptions options = with_empty_shim();
  options.env["LD_PRELOAD"] = PROF_RUN_EMPTY_PRELOAD;  // a second copy loads harmlessly
  const auto result =
      run_process({kProf, "run", "-o", tmp.path().string(), "sh", "-c", "echo $LD_PRELOAD"}, {}, options);
  CHECK(result.out == std::string(PROF_RUN_EMPTY_PRELOAD) + ":" + PROF_RUN_EMPTY_PRELOAD + "\n");
}

TEST_CASE("prof run --no-follow names the launched process as the only one to record", "[run]") {
  TempDir tmp;
  const auto result = run_process({kProf, "run", "-o", tmp.path().string(), "--no-follow", "sh", "-c",
                                   "echo $PROF_FOLLOW $PROF_ROOT_PID $$"},
                                  {}, with_empty_shim());
  REQUIRE(result.exit_code == 0);
  std::istringstream words(result.out);
  std::string follow, root_pid, self;
  words >> follow >> root_pid >> self;
  CHECK(follow == "0");
  CHECK(root_pid == self);
}

TEST_CASE("prof run writes into prof.PROGRAM.PID by default", "[run]") {
  TempDir tmp;
  ProcessOptions options = with_empty_shim();
  options.cwd = tmp.path();
  Process prof({kProf, "run", "/bin/sh", "-c", "touch \"$PROF_OUTPUT/sh.1.prof.json\""}, options);
  const std::string expected = "prof.sh." + std::to_string(prof.pid());
  const auto result = prof.finish();
  CHECK(result.exit_code == 0);
  CHECK(result.err == "prof: 1 snapshot in " + expected + " (read it: prof report " + expected + ")\n");
  CHECK(std::filesystem::exists(tmp.path() / expected / "sh.1.prof.json"));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(tmp.path()))
    ++entries;
  CHECK(entries == 1);
}

TEST_CASE("prof run refuses an output path that is not a directory", "[run]") {
  TempDir tmp;
  const auto file = tmp.path() / "file";
  run_process({"touch", file.string()});
  const auto result = run_process({kProf, "run", "-o", file.string(), "true"}, {}, with_empty_shim());
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("prof: error: " + file.string() + ": "));
}

TEST_CASE("prof run refuses a default directory planted before it started", "[run]") {
  // In a shared directory another user can guess prof.PROGRAM.PID: a symlink there would send the snapshots
  // to their directory, a directory of theirs would have their files read back. `exec` gives prof the
  // shell's pid, so the shell plants exactly the name prof will pick.
  const std::string planted = GENERATE(as<std::string>{}, "ln -s victim", "mkdir");
  CAPTURE(planted);
  TempDir tmp;
  std::filesystem::create_directory(tmp.path() / "victim");
  ProcessOptions options = with_empty_shim();
  options.cwd = tmp.path();
  const auto result = run_process(
      {"sh", "-c", planted + " prof.sh.$$ && exec \"$0\" run sh -c 'touch \"$PROF_OUTPUT/sh.1.prof.json\"'",
       kProf},
      {}, options);
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("prof: error: prof.sh."));
  CHECK(result.err.ends_with(": exists already, not created by this run (remove it, or choose -o DIR)\n"));
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(std::filesystem::is_empty(tmp.path() / "victim"));
}

TEST_CASE("prof run reads back only the snapshots its processes wrote", "[run]") {
  TempDir tmp;
  const auto dir = tmp.path() / "D";
  const auto elsewhere = tmp.path() / "elsewhere.prof.json";
  std::ofstream(elsewhere) << "not a snapshot";
  // A symlink named like a snapshot is not one of ours: prof neither counts nor symbolises (rewrites) it.
  const auto result = run_process(
      {kProf, "run", "-o", dir.string(), "sh", "-c",
       "cd \"$PROF_OUTPUT\" && ln -s '" + elsewhere.string() + "' evil.1.prof.json && touch sh.2.prof.json"},
      {}, with_empty_shim());
  CHECK(result.exit_code == 0);
  CHECK(result.err ==
        "prof: 1 snapshot in " + dir.string() + " (read it: prof report " + dir.string() + ")\n");
  std::ifstream text(elsewhere);
  CHECK(std::string(std::istreambuf_iterator<char>(text), {}) == "not a snapshot");
}
