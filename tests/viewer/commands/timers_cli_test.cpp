// `prof report --timers` and `prof diff --timers` end to end, on snapshots and Google Benchmark JSON.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "run_prof.hpp"

using prof::test::fixture;
using prof::test::run_prof;

TEST_CASE("prof diff --timers on Google Benchmark files names the regression, in csv") {
  auto result = run_prof({"diff", "--timers", "--format", "csv", fixture("timers/gbench.old.json"),
                          fixture("timers/gbench.new.json")});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK_THAT(result.out,
             Catch::StartsWith("name,old_median_seconds,new_median_seconds,ratio,p_value,verdict\n"
                               "spin/1000,9.21298"));
  CHECK_THAT(result.out, Catch::Contains(",regression\nsteady,"));
  CHECK_THAT(result.out, Catch::EndsWith(",no significant change\n"));
}

TEST_CASE("prof report on a Google Benchmark file shows its timers and no made-up process") {
  auto result = run_prof({"report", fixture("timers/gbench.old.json")}, {"NO_COLOR=1"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("Timers\n"));
  CHECK_THAT(result.out, Catch::Contains("spin/1000"));
  CHECK_THAT(result.out, Catch::Contains("76043"));
  CHECK_THAT(result.out, Catch::Contains("921 ns"));
}

TEST_CASE("prof diff --timers says when nothing matches, and refuses a bad threshold in one line") {
  auto nothing = run_prof(
      {"diff", "--timers", fixture("timers/gbench.old.json"), fixture("timers/planted.3001.prof.json")});
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out == "no timer is in both runs, nothing to compare\n");
  auto bad = run_prof({"diff", "--timers", "--threshold", "-1", fixture("timers/gbench.old.json"),
                       fixture("timers/gbench.new.json")});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err_lines().size() == 1);
  CHECK_THAT(bad.err, Catch::StartsWith("prof: error: --threshold"));
}
