// Issue 13, item 4: which mode of the memory tracer a snapshot came from. data/memory_sampled/app.1003 is
// data/memory/app.1002 written in sampled mode (one sample per 512 KiB on average): `prof report` says the
// mode and marks every figure as an estimate in text ("~", "(estimated)"), CSV and JSON (an `estimated`
// column, a `mode` fact); an exact snapshot says "exact". `prof diff` refuses an exact run against a sampled
// one in one line (exit 2) unless --allow-mixed-modes.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "fixtures.hpp"
#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::fixture;
using prof::test::run_prof;

namespace {

const std::string kExact = fixture("memory/app.1002.prof.json");
const std::string kSampled = fixture("memory_sampled/app.1003.prof.json");

}  // namespace

TEST_CASE("memory report of a sampled snapshot says the mode and marks estimates in text") {
  auto result = run_prof({"report", "--mem", kSampled}, {"NO_COLOR=1"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK_THAT(result.out,
             Catch::Contains("sampled, one sample per 512 KiB allocated on average: figures are estimates"));
  CHECK_THAT(result.out, Catch::Contains("samples"));
  CHECK_THAT(result.out, Catch::Contains("allocations (estimated)"));
  CHECK_THAT(result.out, Catch::Contains("peak (estimated)"));
  CHECK_THAT(result.out, Catch::Contains("/src/app/solver.cpp:42:  size=~6.00 MiB,  count=~3000,"));
}

TEST_CASE("memory report of an exact snapshot says it is exact, with no estimate marks") {
  auto result = run_prof({"report", "--mem", kExact}, {"NO_COLOR=1"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("exact: every allocation counted"));
  CHECK_THAT(result.out, !Catch::Contains("estimated"));
  CHECK_THAT(result.out, !Catch::Contains("~"));
  auto csv = run_prof({"report", "--mem", "--format", "csv", kExact});
  CHECK_THAT(csv.out, !Catch::Contains("estimated"));
}

TEST_CASE("memory report of a sampled snapshot marks estimates in csv and json") {
  auto csv = run_prof({"report", "--mem", "--format", "csv", kSampled});
  CHECK(csv.exit_code == 0);
  CHECK_THAT(csv.out,
             Catch::StartsWith("file,line,function,allocations,allocated_bytes,peak_bytes,"
                               "leaked_allocations,leaked_bytes,temporary_allocations,estimated\n"
                               "/src/app/solver.cpp,42,assemble,3000,12582912,6291456,0,0,2000,true\n"));
  auto json = run_prof({"report", "--mem", "--format", "json", kSampled});
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains(R"("mode": "sampled")"));
  CHECK_THAT(json.out, Catch::Contains(R"("sample_interval_bytes": 524288)"));
  CHECK_THAT(json.out, Catch::Contains(R"("estimated": true)"));
}

TEST_CASE("prof diff refuses an exact run against a sampled one unless --allow-mixed-modes") {
  auto refused = run_prof({"diff", kExact, kSampled, "--mem"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err ==
        "prof: error: " + kSampled +
            ": its memory figures are estimates (sampled mode) and OLD's are exact: they do not "
            "compare (--allow-mixed-modes compares them anyway)\n");
  auto reversed = run_prof({"diff", kSampled, kExact});
  CHECK(reversed.exit_code == 2);
  CHECK(reversed.err ==
        "prof: error: " + kSampled +
            ": its memory figures are estimates (sampled mode) and NEW's are exact: they do not "
            "compare (--allow-mixed-modes compares them anyway)\n");
  auto allowed = run_prof({"diff", kExact, kSampled, "--mem", "--allow-mixed-modes"}, {"NO_COLOR=1"});
  CHECK(allowed.exit_code == 0);
  CHECK_THAT(allowed.out, Catch::Contains("OLD mode  exact"));
  CHECK_THAT(allowed.out, Catch::Contains("NEW mode  sampled"));
  // Two sampled runs compare, said to be estimates.
  auto sampled = run_prof({"diff", kSampled, kSampled, "--mem"}, {"NO_COLOR=1"});
  CHECK(sampled.exit_code == 0);
  CHECK_THAT(sampled.out, Catch::Contains("sampled figures are estimates"));
}

TEST_CASE("a memory section of an unknown mode, or sampled without its interval, is refused") {
  prof::test::ScratchDir dir;
  std::ifstream in(kSampled);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto unknown = text;
  unknown.replace(unknown.find("\"sampled\""), 9, "\"guessed\"");
  auto no_interval = text;
  no_interval.replace(no_interval.find("\"sample_interval_bytes\""), 23, "\"other_interval_bytes\"");
  auto bad_mode = run_prof({"report", "--mem", dir.file("app.1.prof.json", unknown)});
  CHECK(bad_mode.exit_code == 2);
  CHECK_THAT(bad_mode.err, Catch::Contains("memory.mode: is \"guessed\", expected \"exact\" or \"sampled\""));
  auto missing = run_prof({"report", "--mem", dir.file("app.2.prof.json", no_interval)});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("memory: missing required key \"sample_interval_bytes\""));
}
