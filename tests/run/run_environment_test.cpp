// What the program finds in its environment, and where its snapshots go.
#include <unistd.h>

#include <catch2/catch.hpp>
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
