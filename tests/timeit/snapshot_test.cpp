// Every Timing and Comparison reaches the `timers` section of the process's snapshot, exactly.

#include <simdjson.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <prof/timeit.hpp>

#include "core/clock.hpp"
#include "core/output_dir.hpp"
#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"
#include "workloads.hpp"

namespace fs = std::filesystem;
using namespace prof;

namespace {

char g_argv0[] = "/usr/bin/timeit_snapshot_test";
char* g_argv[] = {g_argv0, nullptr};

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "prof-timeit-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

int validate(const fs::path& file) {
  std::string command =
      std::string(PROF_TEST_PYTHON) + " " + PROF_TEST_VALIDATOR + " '" + file.string() + "'";
  return std::system(command.c_str());
}

simdjson::dom::object find_named(simdjson::dom::array list, const char* key, std::string_view name) {
  for (simdjson::dom::element entry : list)
    if (std::string_view(entry[key]) == name) return entry;
  FAIL("no timer named " << name);
  return {};
}

}  // namespace

TEST_CASE("timings and comparisons are in the snapshot as made", "[snapshot]") {
  fs::path dir = make_temp_dir();
  core::clock::init();
  core::meta::capture_start(1, g_argv, nullptr);
  core::output_dir::resolve(dir.c_str());

  double x = 1;
  TimeitOptions options;
  options.min_run_time = 0.01;
  Timing first = timeit(
      "snapshot first", [&] { do_not_optimize(test::dependent_chain(x, 100)); }, options);
  options.runs = 3;
  Timing second = timeit(
      "snapshot \"second\"", [&] { do_not_optimize(test::dependent_chain(x, 300)); }, options);
  CompareOptions compare_options;
  compare_options.round_time = 0.002;
  compare_options.time_budget = 0.5;
  Comparison c = compare(
      "snapshot a", [&] { do_not_optimize(test::dependent_chain(x, 300)); }, "snapshot b",
      [&] { do_not_optimize(test::dependent_chain(x, 100)); }, compare_options);
  TimeitOptions unrecorded;
  unrecorded.min_run_time = 0.001;
  unrecorded.record = false;
  timeit(
      "snapshot unrecorded", [] {}, unrecorded);

  core::MetaRequest request;
  request.writer = "library";
  REQUIRE(core::write_snapshot(request));
  fs::path file = dir / core::last_snapshot_name();
  CHECK(validate(file) == 0);

  simdjson::dom::parser parser;
  simdjson::dom::object doc = parser.load(file.string());
  simdjson::dom::array timings = doc["timers"]["timings"];
  for (const Timing* t : {&first, &second}) {
    simdjson::dom::object written = find_named(timings, "name", t->name);
    CHECK(std::string_view(written["source"]) == "timeit");
    CHECK(uint64_t(written["runs"]) == t->runs);
    CHECK(uint64_t(written["loops"]) == t->loops);
    // Shortest round-trip numbers: the snapshot holds exactly the values the program saw.
    CHECK(double(written["median"]) == t->median);
    CHECK(double(written["min"]) == t->min);
    CHECK(double(written["mean"]) == t->mean);
    CHECK(double(written["stddev"]) == t->stddev);
    CHECK(double(written["mad"]) == t->mad);
    CHECK(double(written["ci_low"]) == t->ci_low);
    CHECK(double(written["ci_high"]) == t->ci_high);
    CHECK(double(written["loop_overhead"]) == t->loop_overhead);
    CHECK(bool(written["noisy"]) == t->noisy);
    CHECK(std::string_view(written["noisy_reason"]) == t->noisy_reason);
    simdjson::dom::array samples = written["samples"];
    REQUIRE(samples.size() == t->samples.size());
    std::size_t i = 0;
    for (double sample : samples)
      CHECK(sample == t->samples[i++]);
  }
  for (simdjson::dom::element entry : timings)
    CHECK(std::string_view(entry["name"]) != "snapshot unrecorded");

  simdjson::dom::object written = find_named(doc["timers"]["comparisons"], "a", "snapshot a");
  CHECK(std::string_view(written["b"]) == "snapshot b");
  CHECK(double(written["ratio"]) == c.ratio);
  CHECK(double(written["low"]) == c.low);
  CHECK(double(written["high"]) == c.high);
  CHECK(double(written["confidence"]) == 0.95);
  CHECK(double(written["threshold"]) == 0.01);
  CHECK(uint64_t(written["rounds"]) == c.rounds);
  CHECK(bool(written["significant"]) == c.significant);
  CHECK(std::string_view(written["verdict"]) == c.verdict());

  fs::remove_all(dir);
}
