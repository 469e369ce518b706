// A program linked with libprof.so: its timers reach the snapshot the library writes at exit, exactly.

#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "../core/test_support.hpp"

using namespace prof::test;

TEST_CASE("a program's timers are in its snapshot at exit", "[end_to_end]") {
  TempDir dir;
  RunResult result = run({PROF_TIMEIT_PROGRAM}, {"PROF_OUTPUT=" + dir.path().string()}, dir.path());
  REQUIRE(result.code() == 0);
  std::istringstream printed(result.out);
  double median = 0, ratio = 0;
  printed >> median >> ratio;

  std::vector<fs::path> files = snapshots_in(dir.path());
  REQUIRE(files.size() == 1);
  CHECK(validate(files[0]) == 0);
  simdjson::dom::parser parser;
  simdjson::dom::object doc = parser.load(files[0].string());
  simdjson::dom::array timings = doc["timers"]["timings"];
  REQUIRE(timings.size() == 1);
  CHECK(std::string_view(timings.at(0)["name"]) == "program timing");
  CHECK(double(timings.at(0)["median"]) == median);
  CHECK(uint64_t(timings.at(0)["runs"]) == 3);
  simdjson::dom::array comparisons = doc["timers"]["comparisons"];
  REQUIRE(comparisons.size() == 1);
  CHECK(double(comparisons.at(0)["ratio"]) == ratio);
  CHECK(std::string_view(comparisons.at(0)["a"]) == "program a");
}
