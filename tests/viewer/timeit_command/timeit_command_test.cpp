// `prof timeit` end to end: the ratio of two sleeps, the snapshot it leaves, failing commands, and the
// file rules (never replace, number the default name).
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "read/snapshot_reader.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"
#include "timeit_command/results.hpp"
#include "timeit_command/snapshot.hpp"

using namespace prof::viewer;
using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace fs = std::filesystem;

namespace {

int validate(const std::string& path) {
  auto command = std::string(PROF_TEST_PYTHON) + " " + PROF_TEST_VALIDATOR + " '" + path + "'";
  return std::system(command.c_str());
}

}  // namespace

TEST_CASE("prof timeit finds 'sleep 0.2' about four times as slow as 'sleep 0.05' and records it") {
  ScratchDir dir;
  auto out = dir.path("sleeps.prof.json");
  // 10 runs: an interval needs 6, and a few more keep it narrow on a busy machine.
  auto result = run_prof({"timeit", "--runs", "10", "-o", out, "sleep 0.05", "sleep 0.2"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("'sleep 0.2' is "));
  CHECK_THAT(result.out, Catch::Contains("x slower than 'sleep 0.05' ("));
  CHECK(validate(out) == 0);
  auto snapshot = read_snapshot_file(out);
  CHECK(snapshot.meta.writer == "prof");
  REQUIRE(snapshot.timers);
  REQUIRE(snapshot.timers->timings.size() == 2);
  for (const auto& timing : snapshot.timers->timings) {
    CHECK(timing.source == "command");
    CHECK(timing.runs == 10);
    CHECK(timing.samples.size() == 10);
    CHECK(timing.user_seconds.size() == 10);
    CHECK(timing.system_seconds.size() == 10);
  }
  CHECK(snapshot.timers->timings[0].name == "sleep 0.05");
  REQUIRE(snapshot.timers->comparisons.size() == 1);
  const auto& comparison = snapshot.timers->comparisons[0];
  CHECK(comparison.a == "sleep 0.2");
  CHECK(comparison.b == "sleep 0.05");
  // The sleeps' own ratio is 4; a busy machine adds about the same start-up time to both, pulling it
  // towards 1, never past it. The 150 ms between them is far more than start-up jitter at load 9 (with
  // 50 ms the difference was once not significant there).
  CHECK(comparison.ratio > 1.0);
  CHECK(comparison.ratio < 5.0);
  CHECK(comparison.low <= comparison.ratio);
  CHECK(comparison.ratio <= comparison.high);
  CHECK(comparison.rounds == 10);
  CHECK(comparison.significant == true);
  auto report = run_prof({"report", "--timers", "--format", "csv", out});
  CHECK(report.exit_code == 0);
  CHECK_THAT(report.out, Catch::StartsWith("name,runs,loops,min_seconds,median_seconds,mean_seconds,"
                                           "stddev_seconds"));
  CHECK_THAT(report.out, Catch::Contains("\nsleep 0.2,10,1,"));
}

TEST_CASE("a failing command stops prof timeit with one line and exit 2, unless failures are allowed") {
  ScratchDir dir;
  auto failed = run_prof({"timeit", "--runs", "2", "-o", dir.path("f.prof.json"), "exit 3"});
  CHECK(failed.exit_code == 2);
  CHECK(failed.err ==
        "prof: error: 'exit 3': the command exited with code 3 (--ignore-failure times it anyway)\n");
  CHECK_FALSE(fs::exists(dir.path("f.prof.json")));
  auto allowed = run_prof({"timeit", "--runs", "2", "--warmup", "0", "--ignore-failure", "-o",
                           dir.path("g.prof.json"), "exit 3"});
  CHECK(allowed.exit_code == 0);
  CHECK(validate(dir.path("g.prof.json")) == 0);
}

TEST_CASE("prof timeit refuses bad options and an existing output file in one line") {
  ScratchDir dir;
  auto existing = dir.path("taken.json");
  std::ofstream(existing) << "mine";
  auto taken = run_prof({"timeit", "-o", existing, "true"});
  CHECK(taken.exit_code == 2);
  CHECK(taken.err_lines().size() == 1);
  CHECK_THAT(taken.err, Catch::Contains("already exists"));
  CHECK(read_file(existing) == "mine");
  auto zero = run_prof({"timeit", "--runs", "0", "true"});
  CHECK(zero.exit_code == 2);
  CHECK(zero.err_lines().size() == 1);
  auto none = run_prof({"timeit"});
  CHECK(none.exit_code == 2);
  CHECK(none.err_lines().size() == 1);
}

TEST_CASE(
    "a taken default name gets -2, as the snapshot format's writers do; a chosen name is never replaced") {
  ScratchDir dir;
  auto name = dir.path("prof.timeit.42.prof.json");
  CHECK(publish_new_file(name, "{}", true) == name);
  CHECK(publish_new_file(name, "{}", true) == dir.path("prof.timeit.42-2.prof.json"));
  CHECK_THROWS_WITH(publish_new_file(name, "{}", false), Catch::Contains("already exists"));
  int temporaries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path("")))
    temporaries += entry.path().extension() == ".tmp";
  CHECK(temporaries == 0);
}

TEST_CASE("outliers are the runs far from the median in MADs") {
  // median 10, MAD 1: 20 scores 0.6745 * 10 / 1 = 6.7 > 3.5; 13 scores 2.0
  CHECK(mad_outliers({9, 10, 11, 10, 20, 9, 11, 13}) == std::vector<std::size_t>{4});
  CHECK(mad_outliers({5, 5, 5}).empty());
}

TEST_CASE("with one run prof timeit states no significance and no 95 % CI") {
  // Before: "1.32x slower (1.32-1.32, 0.0 % CI)" and "median's 95 % CI" from a single run.
  ScratchDir dir;
  auto result = run_prof({"timeit", "--runs", "1", "-o", dir.path("one.prof.json"), "true", "true"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("too few runs to compare 'true' and 'true' (1 paired, an interval "
                                         "needs 6)"));
  CHECK_THAT(result.out, Catch::Contains("no CI of the median from 1 run"));
  CHECK_THAT(result.out, !Catch::Contains("% CI"));
  CHECK_THAT(result.out, !Catch::Contains("slower"));
  CHECK_THAT(result.out, !Catch::Contains("faster"));
  auto five = run_prof({"timeit", "--runs", "5", "-o", dir.path("five.prof.json"), "true", "true"});
  REQUIRE(five.exit_code == 0);
  // Five runs: the median's widest interval, [min, max], covers 1 - 2 / 2^5.
  CHECK_THAT(five.out, Catch::Contains("median's 93.8 % CI "));
  CHECK_THAT(five.out, !Catch::Contains("95 % CI"));
  CHECK_THAT(five.out, Catch::Contains("too few runs to compare"));
}

TEST_CASE("below six paired runs a comparison of commands has no interval and no verdict") {
  for (std::size_t runs : {1, 2, 5}) {
    std::vector<double> fast(runs, 1.0), slow(runs, 1.32), zeros(runs, 0.0);
    auto c = compare_commands(summarize_command("a", slow, zeros, zeros),
                              summarize_command("b", fast, zeros, zeros));
    CHECK(c.significant == false);
    CHECK(c.confidence == 0);
    CHECK(c.verdict ==
          "too few runs to compare 'a' and 'b' (" + std::to_string(runs) + " paired, an interval needs 6)");
  }
}

TEST_CASE("the paired comparison of commands: ratio of medians per round with the blocked interval") {
  auto a = summarize_command("a", {2, 4, 6, 8, 10, 12}, {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0});
  auto b = summarize_command("b", {1, 2, 3, 4, 5, 6}, {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0});
  auto c = compare_commands(a, b);
  CHECK(c.ratio == Approx(2));
  CHECK(c.low == Approx(2));
  CHECK(c.high == Approx(2));
  CHECK(c.significant == true);
  CHECK(c.verdict == "'a' is 2.00x slower than 'b' (2.00-2.00, 95 % CI)");
  auto same = compare_commands(b, b);
  CHECK(same.significant == false);
  CHECK(same.verdict == "no significant difference between 'b' and 'b' (ratio 1.00, 1.00-1.00, 95 % CI)");
  auto faster = compare_commands(b, a);
  CHECK(faster.verdict == "'b' is 2.00x faster than 'a' (2.00-2.00, 95 % CI)");
}
