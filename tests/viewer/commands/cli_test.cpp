// End-to-end: the built `prof` binary on good and bad input.
#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::fixture;
using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace fs = std::filesystem;

namespace {

void check_user_error(const std::vector<std::string>& args, const std::string& start) {
  INFO("prof " << Catch::Detail::stringify(args));
  auto result = run_prof(args);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  auto lines = result.err_lines();
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("prof: error: " + start));
}

}  // namespace

TEST_CASE("every kind of bad input is one error line and exit code 2") {
  ScratchDir dir;
  std::mt19937 random(42);
  std::string noise(4096, '\0');
  for (auto& c : noise)
    c = static_cast<char>(random());
  auto good = read_file(fixture("solver.1001.prof.json"));
  std::string newer = good;
  newer.replace(newer.find("\"version\": 1"), 12, "\"version\": 3");
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("\"pid\": 1001"), 11, "\"pid\": \"1001\"");
  std::string bad_index = good;
  bad_index.replace(bad_index.find("\"stacks\": [[0, 1, 2]"), 20, "\"stacks\": [[0, 1, 9]");

  check_user_error({"report", dir.path() + "/missing.prof.json"},
                   dir.path() + "/missing.prof.json: no such file");
  check_user_error({"report", dir.file("empty.prof.json", "")}, dir.path() + "/empty.prof.json: empty file");
  check_user_error({"report", dir.file("noise.prof.json", noise)},
                   dir.path() + "/noise.prof.json: not valid JSON");
  check_user_error({"report", dir.file("cut.prof.json", good.substr(0, good.size() / 2))},
                   dir.path() + "/cut.prof.json: not valid JSON");
  check_user_error({"report", dir.file("other.json", R"({"name": "package.json"})")},
                   dir.path() + "/other.json: not a libprof snapshot");
  check_user_error({"report", dir.file("newer.prof.json", newer)},
                   dir.path() + "/newer.prof.json: written by a newer libprof: format 3, this prof reads 1");
  check_user_error({"report", dir.file("type.prof.json", wrong_type)},
                   dir.path() + "/type.prof.json: meta.pid: expected an integer, found a string");
  check_user_error({"report", dir.file("index.prof.json", bad_index)},
                   dir.path() + "/index.prof.json: stacks[0]: frame 9 is out of range");
  ScratchDir empty_dir;
  empty_dir.file(".solver.1.abcdef.tmp", good);
  check_user_error({"report", empty_dir.path()}, empty_dir.path() + ": no *.prof.json snapshots");
  check_user_error({"report", "--bogus", fixture("minimal.prof.json")}, "--bogus: unknown option");
  check_user_error({"report", "--format", "xml", fixture("minimal.prof.json")}, "--format: unknown format");
  check_user_error({"report", "--top", "many", fixture("minimal.prof.json")}, "--top: ");
  check_user_error({"report", "--sort", "colour", fixture("minimal.prof.json")}, "--sort: ");
  check_user_error({"report"}, "");
  check_user_error({"diff", fixture("minimal.prof.json")}, "");
  check_user_error({"diff", fixture("minimal.prof.json"), dir.path() + "/nothing"},
                   dir.path() + "/nothing: ");
  check_user_error({"frobnicate"}, "frobnicate: unknown command");
  check_user_error({}, "a command is required");
}

TEST_CASE("a run directory is read whole, skipping files that are not snapshots") {
  ScratchDir dir;
  dir.file("solver.1001.prof.json", read_file(fixture("solver.1001.prof.json")));
  dir.file("solver.1002.prof.json", read_file(fixture("solver.1002.prof.json")));
  dir.file(".solver.1003.Xy12ab.tmp", "{\"half\": ");
  dir.file("notes.txt", "hello");
  auto result = run_prof({"report", "--meta", "--format", "csv", dir.path()});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out ==
        "pid,ppid,program,exit,wall_seconds,cpu_seconds,max_rss_bytes\n"
        "1001,1000,solver,0,2.5,3.75,1572864\n"
        "1002,1000,solver,SIGTERM,3,1.25,3145728\n");
}

TEST_CASE("report shows every present section, and says on one line when a requested one is absent") {
  auto full = run_prof({"report", fixture("solver.1001.prof.json")}, {"NO_COLOR=1"});
  CHECK(full.exit_code == 0);
  for (auto heading : {"Processes", "Scopes", "Memory", "Timers"})
    CHECK_THAT(full.out, Catch::Contains(heading));
  auto bare = run_prof({"report", "--mem", fixture("minimal.prof.json")});
  CHECK(bare.exit_code == 0);
  CHECK(bare.out == "no memory section (no memory tracer data) in these snapshots\n");
}

TEST_CASE("sort and top pick and trim the process table") {
  auto result = run_prof({"report", "--meta", "--format", "csv", "--sort", "max_rss", "--top", "1",
                          PROF_TEST_SOURCE_DIR "/tests/viewer/data"});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "pid,ppid,program,exit,wall_seconds,cpu_seconds,max_rss_bytes\n"
        "1002,1000,solver,SIGTERM,3,1.25,3145728\n");
}

TEST_CASE("diff shows NEW/OLD ratios") {
  auto result = run_prof(
      {"diff", "--format", "csv", fixture("solver.1001.prof.json"), fixture("solver.1002.prof.json")});
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "metric,old,new,ratio\n"
        "wall_seconds,2.5,3,1.2\n"
        "user_seconds,3.25,1,0.3076923076923077\n"
        "system_seconds,0.5,0.25,0.5\n"
        "max_rss_bytes,1572864,3145728,2\n"
        "processes,1,1,1\n");
  auto text = run_prof({"diff", fixture("solver.1001.prof.json"), fixture("solver.1002.prof.json")});
  CHECK_THAT(text.out, Catch::Contains("2.00x"));
}

TEST_CASE("version and every help print to stdout and exit 0") {
  auto version = run_prof({"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("prof (libprof) "));
  for (auto command : {"report", "diff"}) {
    auto help = run_prof({command, "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Examples:"));
    CHECK(help.err.empty());
  }
  auto top = run_prof({"--help"});
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("report"));
}

TEST_CASE("output piped into a reader that stops early ends quietly") {
  auto script = std::string("'") + PROF_TEST_BIN_DIR "/prof' report --scopes " +
                fixture("solver.1001.prof.json") + " | head -c 1 > /dev/null";
  std::string command = "sh -c \"" + script + "; exit \\$?\" 2>&1";
  // head exits at once; prof must neither print an error nor crash (the pipe's status is head's).
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[256];
  std::string errors;
  while (fgets(buffer, sizeof buffer, pipe))
    errors += buffer;
  CHECK(pclose(pipe) == 0);
  CHECK(errors.empty());
}

TEST_CASE("prof diff --threshold refuses nan in one line (issue 11, item 19)") {
  for (std::string bad : {"nan", "NaN", "-nan"})
    check_user_error({"diff", "--timers", "--threshold", bad, fixture("timers/gbench.old.json"),
                      fixture("timers/gbench.new.json")},
                     "--threshold");
}
