// The timers in the viewer: statistics computed from planted samples, the report table and its csv, the
// Google Benchmark reader on real output, and the verdicts of `prof diff --timers` on planted shifts.
#include <cmath>
#include <map>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "read/snapshot_reader.hpp"
#include "render/render.hpp"
#include "report/timers/timers_diff.hpp"
#include "report/timers/timers_section.hpp"
#include "report/timers/timing_statistics.hpp"

using namespace prof::viewer;
using prof::test::fixture;

namespace {

std::string timers_fixture(const std::string& name) {
  return fixture("timers/" + name);
}

const Timing& timing_named(const Snapshot& snapshot, const std::string& name) {
  for (const auto& timing : snapshot.timers->timings)
    if (timing.name == name) return timing;
  FAIL("no timing " << name);
  throw;
}

struct DiffRow {
  double ratio = 0;
  double p = 0;
  RawValue p_raw;
  std::string verdict;
};

std::map<std::string, DiffRow> diff_rows(const std::string& old_file, const std::string& new_file,
                                         double threshold) {
  auto section = timers_diff_section(load_snapshots({timers_fixture(old_file)}),
                                     load_snapshots({timers_fixture(new_file)}), threshold);
  std::map<std::string, DiffRow> rows;
  for (const auto& row : section.tables.at(0).rows) {
    auto& entry = rows[row[0].text];
    entry.ratio = std::get<double>(row[3].raw);
    entry.p_raw = row[4].raw;
    if (auto* p = std::get_if<double>(&row[4].raw)) entry.p = *p;
    entry.verdict = row[5].text;
  }
  return rows;
}

}  // namespace

TEST_CASE("statistics a writer left out are computed from the samples") {
  auto snapshot = read_snapshot_file(timers_fixture("planted.3001.prof.json"));
  // samples 1.25 0.25 1 0.5 0.75: sorted 0.25 .. 1.25, deviations from 0.75 are 0.5 0.5 0.25 0.25 0
  auto s = timing_statistics(timing_named(snapshot, "computed"));
  CHECK(s.min == 0.25);
  CHECK(s.median == 0.75);
  CHECK(s.mean == 0.75);
  CHECK(s.mad == 0.25);
  CHECK(s.stddev == Approx(std::sqrt(0.625 / 4)).epsilon(1e-12));
  // Five values: the sign-test interval of the median is [min, max] (93.75 % coverage).
  CHECK(s.ci_low == 0.25);
  CHECK(s.ci_high == 1.25);
}

TEST_CASE("statistics a writer stored are shown as stored") {
  auto snapshot = read_snapshot_file(timers_fixture("planted.3001.prof.json"));
  const auto& written = timing_named(snapshot, "written");
  CHECK(written.source == "timeit");
  CHECK(written.loop_overhead == 1e-9);
  CHECK(written.noisy);
  auto s = timing_statistics(written);
  CHECK(s.median == 0.0025);  // not 0.002, the median of the samples: the writer's value wins
  CHECK(s.ci_low == 0.0015);
  CHECK(s.ci_high == 0.0035);
}

TEST_CASE("the timers csv starts with the agreed columns and holds exact values") {
  auto snapshots = load_snapshots({timers_fixture("planted.3001.prof.json")});
  CHECK(render_csv({timers_section(snapshots)}) ==
        "name,runs,loops,min_seconds,median_seconds,mean_seconds,stddev_seconds,mad_seconds,ci_low_seconds,"
        "ci_high_seconds,noisy\n"
        "computed,5,64,0.25,0.75,0.75,0.39528470752104744,0.25,0.25,1.25,false\n"
        "written,3,8,0.001,0.0025,0.002,0.001,0.0005,0.0015,0.0035,true\n");
}

TEST_CASE("the timers text shows comparisons as sentences and names the noisy timings") {
  auto snapshots = load_snapshots({timers_fixture("planted.3001.prof.json")});
  auto text = render_text({timers_section(snapshots)}, {.colour = false, .width = 80});
  CHECK_THAT(text, Catch::Contains("search_c is 1.98x slower than search_d (1.96-2.00, 95 % CI)"));
  // Without a verdict in the file, the sentence is made from ratio 0.5 and its interval 0.4-0.625.
  CHECK_THAT(text, Catch::Contains("fast is 2.00x faster than slow (1.60-2.50, 95 % CI)"));
  CHECK_THAT(text, Catch::Contains("written: coefficient of variation 50.0 %"));
  CHECK_THAT(text, Catch::Contains("750 ms"));
}

TEST_CASE("Google Benchmark JSON is read as timers: repetitions are samples, iterations the loops") {
  auto snapshot = read_snapshot_file(timers_fixture("gbench.old.json"));
  CHECK(snapshot.meta.writer == "google-benchmark");
  CHECK(snapshot.meta.program == "bench");
  REQUIRE(snapshot.timers);
  REQUIRE(snapshot.timers->timings.size() == 2);  // the aggregates (mean, median, stddev, cv) are left out
  const auto& spin = snapshot.timers->timings[0];
  CHECK(spin.name == "spin/1000");
  CHECK(spin.source == "google-benchmark");
  CHECK(spin.runs == 9);
  CHECK(spin.loops == 76043);
  REQUIRE(spin.samples.size() == 9);
  CHECK(spin.samples[0] == Approx(921.3486316944155e-9).epsilon(1e-12));  // "real_time" in "ns"
  const auto& steady = snapshot.timers->timings[1];
  CHECK(steady.name == "steady");
  CHECK(steady.loops == 156840);
  CHECK(steady.samples[2] == Approx(0.45135083524643954e-6).epsilon(1e-12));  // "time_unit": "us"
}

TEST_CASE("Google Benchmark aggregates stand in when the file has no repetitions") {
  auto snapshot = read_snapshot_file(timers_fixture("gbench.aggregates.json"));
  REQUIRE(snapshot.timers->timings.size() == 1);
  const auto& steady = snapshot.timers->timings[0];
  CHECK(steady.runs == 3);
  REQUIRE(steady.samples.size() == 1);
  CHECK(steady.samples[0] == Approx(0.4521589195648897e-6).epsilon(1e-12));  // the median aggregate
  CHECK(steady.mean == Approx(0.45202804303916294e-6).epsilon(1e-12));
  CHECK(steady.stddev == Approx(0.0011407877445350986e-6).epsilon(1e-12));
}

TEST_CASE("a malformed Google Benchmark file is refused with the place of the problem") {
  CHECK_THROWS_WITH(parse_snapshot(R"({"context": {}, "benchmarks": [{"name": "x", "iterations": 1,
                                       "real_time": 1, "time_unit": "fortnights"}]})",
                                   "b.json"),
                    Catch::Contains("benchmarks[0].time_unit: unknown time_unit \"fortnights\""));
  CHECK_THROWS_WITH(parse_snapshot(R"({"context": {}, "benchmarks": 3})", "b.json"),
                    Catch::Contains("benchmarks: expected an array"));
}

TEST_CASE("the U test's smallest p-value decides when samples are too few") {
  CHECK(smallest_attainable_p(3, 3) == Approx(0.1));       // 2 / C(6, 3) = 2 / 20
  CHECK(smallest_attainable_p(4, 4) == Approx(2 / 70.0));  // 2 / C(8, 4)
  CHECK(smallest_attainable_p(5, 3) == Approx(2 / 56.0));
  CHECK(smallest_attainable_p(0, 9) == 1);
}

TEST_CASE("diff --timers: planted shifts are regressions and improvements, identical samples are not") {
  auto rows = diff_rows("old.3002.prof.json", "new.3003.prof.json", 0.05);
  REQUIRE(rows.size() == 5);  // only_old is in OLD only
  // Ten values against ten with no overlap: the exact two-sided p of the U test is 2 / C(20, 10).
  const double separated = 2 / 184756.0;
  CHECK(rows["slower"].ratio == Approx(1.5));
  CHECK(rows["slower"].p == Approx(separated));
  CHECK(rows["slower"].verdict == "regression");
  CHECK(rows["faster"].ratio == Approx(0.5));
  CHECK(rows["faster"].p == Approx(separated));
  CHECK(rows["faster"].verdict == "improvement");
  CHECK(rows["same"].ratio == 1);
  CHECK(rows["same"].p == Approx(1));
  CHECK(rows["same"].verdict == "no significant change");
  // Every new sample above every old one, but by 2 %: significant, and still under the 5 % threshold.
  CHECK(rows["slightly_slower"].ratio == Approx(1.0245 / 1.0045));
  CHECK(rows["slightly_slower"].p == Approx(separated));
  CHECK(rows["slightly_slower"].verdict == "no significant change");
  // Three samples a side: the U test cannot go below p = 0.1, whatever the data.
  CHECK(rows["few"].verdict == "too few samples");
  CHECK(std::holds_alternative<std::monostate>(rows["few"].p_raw));
}

TEST_CASE("diff --timers: a consistent 2 % shift is a regression once the threshold is below it") {
  auto rows = diff_rows("old.3002.prof.json", "new.3003.prof.json", 0.01);
  CHECK(rows["slightly_slower"].verdict == "regression");
  CHECK(rows["same"].verdict == "no significant change");
}

TEST_CASE("diff --timers csv has one row per timer in both runs") {
  auto csv = render_csv({timers_diff_section(load_snapshots({timers_fixture("old.3002.prof.json")}),
                                             load_snapshots({timers_fixture("new.3003.prof.json")}), 0.05)});
  CHECK_THAT(csv, Catch::StartsWith("name,old_median_seconds,new_median_seconds,ratio,p_value,verdict\n"
                                    "slower,"));
  CHECK_THAT(csv, Catch::EndsWith(",,too few samples\n"));
}

TEST_CASE("diff --timers on real Google Benchmark runs finds the doubled benchmark and only it") {
  auto section = timers_diff_section(load_snapshots({timers_fixture("gbench.old.json")}),
                                     load_snapshots({timers_fixture("gbench.new.json")}), 0.05);
  REQUIRE(section.tables.size() == 1);
  const auto& rows = section.tables[0].rows;
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0].text == "spin/1000");
  CHECK(std::get<double>(rows[0][3].raw) == Approx(2.03).epsilon(0.01));
  CHECK(rows[0][5].text == "regression");
  CHECK(rows[1][0].text == "steady");
  CHECK(rows[1][5].text == "no significant change");
}

TEST_CASE("diff --timers mixes a snapshot and a Google Benchmark file by timer name") {
  auto section = timers_diff_section(load_snapshots({timers_fixture("gbench.old.json")}),
                                     load_snapshots({timers_fixture("old.3002.prof.json")}), 0.05);
  CHECK_FALSE(section.present);
  CHECK(section.absent_note == "no timer is in both runs, nothing to compare");
}
