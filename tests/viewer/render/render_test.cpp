#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "read/snapshot_reader.hpp"
#include "render/render.hpp"
#include "report/memory/memory_section.hpp"
#include "report/processes/processes_section.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/timers/timers_section.hpp"

using namespace prof::viewer;
using prof::test::fixture;

TEST_CASE("csv holds plain numbers in bytes and seconds") {
  auto snapshots = load_snapshots({fixture("solver.1001.prof.json"), fixture("solver.1002.prof.json")});
  CHECK(render_csv({processes_section(snapshots)}) ==
        "pid,ppid,program,exit,wall_seconds,cpu_seconds,max_rss_bytes\n"
        "1001,1000,solver,0,2.5,3.75,1572864\n"
        "1002,1000,solver,SIGTERM,3,1.25,3145728\n");
  CHECK(render_csv({timers_section(snapshots)}) ==
        "name,runs,loops,min_seconds,median_seconds,mean_seconds,stddev_seconds,mad_seconds,ci_low_seconds,"
        "ci_high_seconds,noisy\n"
        "search_a,5,1024,1.2e-05,1.3e-05,1.3e-05,1e-07,5e-08,1.2e-05,1.4e-05,false\n"
        "search_b,3,1,0.001,0.002,0.002,0.001,0.001,0.001,0.003,false\n");
  ScopeReportOptions csv;
  csv.text = false;
  auto scopes = render_csv({scope_section(snapshots, csv)});
  CHECK_THAT(scopes, Catch::StartsWith("name,file,line,calls,primitive_calls,self_seconds,total_seconds,"
                                       "self_percall_seconds,total_percall_seconds\n"
                                       "main,solver.cpp,3,1,1,0.1,2,0.1,2\n"));
}

TEST_CASE("text fits 80 columns and uses human units") {
  auto snapshots = load_snapshots({fixture("solver.1001.prof.json")});
  auto text = render_text({processes_section(snapshots), memory_section(snapshots, {})},
                          {.colour = false, .width = 80});
  CHECK_THAT(text, Catch::Contains("1.50 MiB"));
  CHECK_THAT(text, Catch::Contains("3.75 s"));
  CHECK_THAT(text, Catch::Contains("matrix.hpp:42: "));
  CHECK(text.find('\033') == std::string::npos);
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    CHECK(end - start <= 80);
    start = end + 1;
  }
}

TEST_CASE("json carries raw values and null for a missing section") {
  auto snapshots = load_snapshots({fixture("minimal.prof.json")});
  auto json = render_json({processes_section(snapshots), memory_section(snapshots, {})});
  CHECK_THAT(json, Catch::Contains("\"max_rss_bytes\": 1536"));
  CHECK_THAT(json, Catch::Contains("\"memory\": null"));
}
