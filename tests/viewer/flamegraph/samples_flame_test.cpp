// The CPU samples section drawn and exported: tests/sampling's planted_cpu spends 60 %, 30 % and 10 % of its
// CPU time in burn_sixty, burn_thirty and burn_ten (measured on each thread's CPU clock, so the shares hold
// on a busy machine); `prof flamegraph --samples` and `prof export --samples` (folded, speedscope, pprof)
// must show those shares. Shares are asserted broadly, timings never.
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "run_prof.hpp"
#include "scratch_dir.hpp"

using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

namespace {

// The text flame's share of the first frame called NAME, in percent; -1 when absent.
double text_share(const std::string& text, const std::string& name) {
  std::regex line(R"(^\S*\s+([0-9.]+)%\s+\d+\s+)" + name + R"((  |$))");
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, line)) return std::stod(m[1]);
  }
  return -1;
}

// Folded lines (or speedscope_check's "sampled ...: PATH COUNT" lines): the count of the paths through NAME,
// as a share of all.
double folded_share(const std::string& text, const std::string& name) {
  double through = 0, all = 0;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    auto space = l.rfind(' ');
    if (space == std::string::npos || l.find(';') == std::string::npos) continue;
    double count = std::stod(l.substr(space + 1));
    all += count;
    if (l.find(";" + name + ";") != std::string::npos) through += count;
  }
  return all > 0 ? 100 * through / all : -1;
}

std::string shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

// pprof -top's cum% of NAME.
double pprof_cum(const std::string& top, const std::string& name) {
  std::regex line(R"(([0-9.]+)%\s+)" + name + "$");
  std::istringstream in(top);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, line)) return std::stod(m[1]);
  }
  return -1;
}

}  // namespace

TEST_CASE("flamegraph --samples and export --samples: planted CPU shares 60/30/10 in each format") {
  ScratchDir dir;
  auto ran = run_prof({"run", "-o", dir.path("run"), PROF_PLANTED_CPU, "1.0"});
  INFO(ran.err);
  REQUIRE(ran.exit_code == 0);
  const std::string run = dir.path("run");

  auto text = run_prof({"flamegraph", run, "--samples", "--format", "text", "--min-percent", "0"});
  INFO(text.out << text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.starts_with("CPU samples: "));
  CHECK(text_share(text.out, "burn_sixty") == Approx(60).margin(12));
  CHECK(text_share(text.out, "burn_thirty") == Approx(30).margin(10));
  CHECK(text_share(text.out, "burn_ten") == Approx(10).margin(6));

  REQUIRE(run_prof({"flamegraph", run, "--samples", "-o", dir.path("cpu.html")}).exit_code == 0);
  CHECK(read_file(dir.path("cpu.html")).find("burn_sixty") != std::string::npos);

  REQUIRE(
      run_prof({"export", run, "--samples", "--format", "folded", "-o", dir.path("cpu.folded")}).exit_code ==
      0);
  auto folded = read_file(dir.path("cpu.folded"));
  INFO(folded);
  CHECK(folded_share(folded, "burn_sixty") == Approx(60).margin(12));
  CHECK(folded_share(folded, "burn_ten") == Approx(10).margin(6));

  // speedscope: read back by the export tests' checker (json, and the profile's paths with their weights).
  REQUIRE(run_prof({"export", run, "--samples", "--format", "speedscope", "-o", dir.path("cpu.json")})
              .exit_code == 0);
  auto speedscope = shell(std::string(PROF_TEST_PYTHON) + " " + PROF_EXPORT_CHECKS + " speedscope - " +
                          dir.path("cpu.json"));
  INFO(speedscope);
  CHECK(speedscope.find("sampled CPU samples: ") != std::string::npos);
  CHECK(folded_share(speedscope, "burn_thirty") == Approx(30).margin(10));

  // pprof: Google's pprof reads it as a CPU profile (skipped where it was not built).
  REQUIRE(
      run_prof({"export", run, "--samples", "--format", "pprof", "-o", dir.path("cpu.pb.gz")}).exit_code ==
      0);
  if (access(PROF_TEST_PPROF, X_OK) == 0) {
    auto top =
        shell(std::string(PROF_TEST_PPROF) + " -symbolize=none -top " + dir.path("cpu.pb.gz") + " 2>&1");
    INFO(top);
    CHECK(top.find("Type: cpu") != std::string::npos);
    CHECK(pprof_cum(top, "burn_sixty") == Approx(60).margin(12));
    CHECK(pprof_cum(top, "burn_ten") == Approx(10).margin(6));
  } else {
    WARN("pprof was not built here: the pprof file is checked for being written only");
  }

  // A format without room for samples, or samples asked of a run without them: one line, exit 2.
  auto refused = run_prof({"export", run, "--samples", "--format", "pstats", "-o", dir.path("x.pstats")});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err_lines().size() == 1);
  const std::string scopes_only = std::string(PROF_TEST_SOURCE_DIR) + "/tests/viewer/data/scopes";
  auto none = run_prof({"flamegraph", scopes_only, "--samples", "--format", "text"});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "prof: error: " + scopes_only +
                        ": no CPU samples in these snapshots (prof run samples unless told not to)\n");
  auto both = run_prof({"flamegraph", run, "--samples", "--mem", "--format", "text"});
  CHECK(both.exit_code == 2);
  CHECK(both.err_lines().size() == 1);
}
