// `prof export`: each format written from planted snapshots and read back by its real client (Python's
// pstats; json and speedscope's own schema), the figures compared with `prof report`'s.
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "run_prof.hpp"
#include "scratch_dir.hpp"

namespace {

using prof::test::read_file;
using prof::test::run_prof;
using prof::test::ScratchDir;

const std::string kData = std::string(PROF_TEST_SOURCE_DIR) + "/tests/viewer/data";
const std::string kScopes = kData + "/scopes";
const std::string kMemory1 = kData + "/memory/app.1001.prof.json";
const std::string kMemory2 = kData + "/memory/app.1002.prof.json";

struct Output {
  int status = -1;
  std::string out;
};

// Runs a shell command; its stdout and exit status.
Output shell(const std::string& command) {
  Output result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    result.out.append(buffer, n);
  int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Output check(const std::string& arguments) {
  return shell(std::string(PROF_TEST_PYTHON) + " " + PROF_EXPORT_CHECKS + " " + arguments);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& line, char by) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, by);)
    fields.push_back(field);
  if (!line.empty() && line.back() == by) fields.emplace_back();
  return fields;
}

void export_ok(const std::vector<std::string>& args) {
  auto result = run_prof(args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

// `prof report --scopes --format csv` as the lines export_checks.py prints for a pstats file.
std::set<std::string> report_rows(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"report", kScopes, "--scopes", "--format", "csv"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto report = run_prof(args);
  REQUIRE(report.exit_code == 0);
  std::set<std::string> rows;
  auto lines = lines_of(prof::test::first_csv_table(report.out));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto f = split(lines[i], ',');  // name,file,line,calls,primitive_calls,self_seconds,total_seconds,...
    REQUIRE(f.size() >= 7);
    char row[512];
    std::snprintf(row, sizeof row, "function %s,%s,%s,%s,%s,%.9f,%.9f", f[0].c_str(), f[1].c_str(),
                  f[2].c_str(), f[3].c_str(), f[4].c_str(), std::stod(f[5]), std::stod(f[6]));
    rows.insert(row);
  }
  return rows;
}

std::set<std::string> functions_of(const std::string& pstats_lines) {
  std::set<std::string> rows;
  for (const auto& line : lines_of(pstats_lines))
    if (line.rfind("function ", 0) == 0) rows.insert(line);
  return rows;
}

bool has_line(const std::string& text, const std::string& line) {
  auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE(
    "pstats: Python's pstats reads calls, primitive calls, tottime and cumtime as prof report "
    "--scopes shows them, and the callers") {
  ScratchDir dir;
  export_ok({"export", kScopes, "--format", "pstats", "-o", dir.path("run.pstats")});
  auto loaded = check("pstats " + dir.path("run.pstats"));
  INFO(loaded.out);
  REQUIRE(loaded.status == 0);
  auto expected = report_rows({});
  REQUIRE(expected.size() == 6);
  CHECK(functions_of(loaded.out) == expected);
  // Planted: fib is recursive (25 calls, 1 primitive), cumtime counted once at its outermost call.
  CHECK(has_line(loaded.out, "function fib,app.cpp,10,25,1,0.600000000,0.600000000"));
  CHECK(has_line(loaded.out, "function main,app.cpp,5,2,2,0.200000000,1.400000000"));
  // Callers as cProfile stores them: (calls, primitive calls, tottime, cumtime) of the callee from there.
  CHECK(has_line(loaded.out, "caller main -> fib,1,1,0.100000000,0.600000000"));
  CHECK(has_line(loaded.out, "caller fib -> fib,24,0,0.500000000,0.500000000"));
  CHECK(has_line(loaded.out, "caller main -> work,6,6,0.350000000,0.600000000"));
  CHECK(has_line(loaded.out, "caller work -> ns::Solver::step,8,8,0.200000000,0.200000000"));

  SECTION("a name that is not UTF-8 (symbolised as \\udcff) loads, the byte as U+FFFD") {
    REQUIRE(check("odd_name " + kScopes + "/app.2001.prof.json " + dir.path("odd.2001.prof.json")).status ==
            0);
    export_ok({"export", dir.path("odd.2001.prof.json"), "--format", "pstats", "-o", dir.path("odd.pstats")});
    auto odd = check("pstats " + dir.path("odd.pstats"));
    INFO(odd.out);
    REQUIRE(odd.status == 0);
    CHECK(has_line(odd.out, "function main\xEF\xBF\xBD\xC3\xA9,app.cpp,5,1,1,0.100000000,1.000000000"));
  }
  SECTION("--no-compensate: the raw times, as prof report --no-compensate") {
    export_ok({"export", kScopes, "--format", "pstats", "--no-compensate", "-o", dir.path("raw.pstats")});
    auto raw = check("pstats " + dir.path("raw.pstats"));
    REQUIRE(raw.status == 0);
    CHECK(functions_of(raw.out) == report_rows({"--no-compensate"}));
    CHECK(functions_of(raw.out) != expected);
  }
}

TEST_CASE(
    "chrome: each thread's scope tree as nested complete events lasting their total time, one "
    "process per rank, the live heap as counters, MPI operations per rank") {
  ScratchDir dir;
  // Two ranks planted from the scope fixtures, with an mpi section each.
  REQUIRE(check("mpi_rank " + kScopes + "/app.2001.prof.json " + dir.path("app.r0.2001.prof.json") + " 0")
              .status == 0);
  REQUIRE(check("mpi_rank " + kScopes + "/app.2002.prof.json " + dir.path("app.r1.2002.prof.json") + " 1")
              .status == 0);
  export_ok({"export", dir.path(), "--format", "chrome", "-o", dir.path("run.trace.json")});
  auto trace = check("chrome " + dir.path("run.trace.json"));
  INFO(trace.out);
  REQUIRE(trace.status == 0);
  // Trace processes are numbered in the order read (pids repeat across hosts); the pid is in the name.
  for (
      const char* line : {
          R"j(M 1 0 process_name {"name": "rank 0 (node01, pid 2001)"})j",
          R"j(M 2 0 process_sort_index {"sort_index": 1})j",
          R"j(M 1 2002 thread_name {"name": "worker (2002)"})j",
          // main lasts 1 s (1e6 us); fib's three levels nest from main's start, work follows fib.
          "X 1 2001 depth=0 main ts=0 dur=1e+06 calls=1",
          "X 1 2001 depth=1 fib ts=0 dur=600000 calls=1",
          "X 1 2001 depth=3 fib ts=0 dur=300000 calls=22",
          "X 1 2001 depth=1 work ts=600000 dur=300000 calls=4",
          "X 1 2002 depth=1 io ts=0 dur=50000 calls=5",
          "X 2 3001 depth=2 ns::Solver::step ts=0 dur=200000 calls=8",
          R"j(i 1 MPI_Allreduce {"bytes_received": 800, "bytes_sent": 800, "calls": 10, "seconds": 0.0025})j",
          R"j(i 2 MPI_Allreduce {"bytes_received": 800, "bytes_sent": 800, "calls": 11, "seconds": 0.005})j",
      })
    CHECK(has_line(trace.out, line));

  SECTION("the live heap: one counter event per timeline point") {
    export_ok({"export", kMemory1, kMemory2, "--format", "chrome", "-o", dir.path("heap.json")});
    auto heap = check("chrome " + dir.path("heap.json"));
    INFO(heap.out);
    REQUIRE(heap.status == 0);
    CHECK(has_line(heap.out, R"(C 1 live heap ts=1.5e+06 {"bytes": 5253120})"));
    CHECK(has_line(heap.out, R"(C 2 live heap ts=1e+06 {"bytes": 6301696})"));
    auto counters = lines_of(heap.out);
    CHECK(std::count_if(counters.begin(), counters.end(), [](auto& l) { return l.rfind("C ", 0) == 0; }) ==
          4 + 3);
  }
  SECTION("--rank 1: only that process") {
    export_ok({"export", dir.path(), "--rank", "1", "--format", "chrome", "-o", dir.path("rank1.json")});
    auto one = check("chrome " + dir.path("rank1.json"));
    REQUIRE(one.status == 0);
    CHECK(has_line(one.out, "X 1 3001 depth=0 main ts=0 dur=400000 calls=1"));
    CHECK(has_line(one.out, R"j(M 1 0 process_name {"name": "rank 1 (node01, pid 2002)"})j"));
    CHECK(one.out.find("X 2 ") == std::string::npos);
  }
}

TEST_CASE("chrome: ranks on two hosts with the same pid stay two trace processes, each named by its host") {
  ScratchDir dir;
  REQUIRE(check("mpi_rank " + kScopes + "/app.2001.prof.json " + dir.path("app.r0.4242.prof.json") +
                " 0 nodeA 4242")
              .status == 0);
  REQUIRE(check("mpi_rank " + kScopes + "/app.2002.prof.json " + dir.path("app.r1.4242.prof.json") +
                " 1 nodeB 4242")
              .status == 0);
  export_ok({"export", dir.path(), "--format", "chrome", "-o", dir.path("run.trace.json")});
  auto trace = check("chrome " + dir.path("run.trace.json"));
  INFO(trace.out);
  REQUIRE(trace.status == 0);
  for (
      const char* line : {
          R"j(M 1 0 process_name {"name": "rank 0 (nodeA, pid 4242)"})j",
          R"j(M 2 0 process_name {"name": "rank 1 (nodeB, pid 4242)"})j",
          R"j(M 1 0 process_sort_index {"sort_index": 0})j",
          R"j(M 2 0 process_sort_index {"sort_index": 1})j",
          // Each rank's own tree under its own process: rank 0's main lasts 1 s, rank 1's 0.4 s.
          "X 1 2001 depth=0 main ts=0 dur=1e+06 calls=1",
          "X 2 3001 depth=0 main ts=0 dur=400000 calls=1",
          R"j(i 1 MPI_Allreduce {"bytes_received": 800, "bytes_sent": 800, "calls": 10, "seconds": 0.0025})j",
          R"j(i 2 MPI_Allreduce {"bytes_received": 800, "bytes_sent": 800, "calls": 11, "seconds": 0.005})j",
      })
    CHECK(has_line(trace.out, line));
  // No event of one rank lands in the other's process.
  CHECK(trace.out.find("X 2 2001 ") == std::string::npos);
  CHECK(trace.out.find("X 1 3001 ") == std::string::npos);
}

// speedscope's schema from its npm package, installed once under the build directory; "" when npm or the
// registry is unavailable.
std::string speedscope_schema() {
  const std::string dir = PROF_EXPORT_NPM_DIR;
  const std::string schema = dir + "/node_modules/speedscope/dist/release/file-format-schema.json";
  if (!std::filesystem::exists(schema)) {
    std::filesystem::create_directories(dir);
    shell("npm install --prefix '" + dir +
          "' --no-audit --no-fund --ignore-scripts --no-save speedscope@1 >/dev/null 2>&1");
  }
  return std::filesystem::exists(schema) ? schema : "";
}

TEST_CASE(
    "speedscope: valid against speedscope's schema, an evented profile per thread with the planted "
    "totals, memory as a sampled profile weighted by bytes") {
  ScratchDir dir;
  auto schema = speedscope_schema();
  if (schema.empty())
    WARN("npm or its registry is unavailable: the file is checked without speedscope's schema");
  const std::string schema_arg = schema.empty() ? "-" : schema;
  export_ok({"export", kScopes, kMemory1, "--format", "speedscope", "-o", dir.path("run.speedscope.json")});
  auto file = check("speedscope " + schema_arg + " " + dir.path("run.speedscope.json"));
  INFO(file.out);
  REQUIRE(file.status == 0);
  if (!schema.empty()) CHECK(has_line(file.out, "schema valid"));
  for (const char* line : {
           "evented app (pid 2001) main (2001): main 1000000000",
           "evented app (pid 2001) main (2001): work 300000000",
           "evented app (pid 2001) worker (2002): io 50000000",
           "evented app (pid 2002) main (3001): ns::Solver::step 200000000",
           // peak bytes per stack of app.1001: 4 MiB + 1 MiB under assemble, 10 KiB under load.
           "sampled memory: bytes (peak): main;assemble 4194304",
           "sampled memory: bytes (peak): main;load 10240",
           "sampled memory: bytes (peak): total 5253120 end 5253120",
       })
    CHECK(has_line(file.out, line));

  SECTION("--view leaks: the leaked bytes") {
    export_ok(
        {"export", kMemory1, "--view", "leaks", "--format", "speedscope", "-o", dir.path("leaks.json")});
    auto leaks = check("speedscope " + schema_arg + " " + dir.path("leaks.json"));
    INFO(leaks.out);
    REQUIRE(leaks.status == 0);
    CHECK(has_line(leaks.out, "sampled memory: bytes (leaks): total 5120 end 5120"));
  }
}

TEST_CASE("folded: scopes as ns of self time per call path, memory as bytes per stack for each --view") {
  ScratchDir dir;
  export_ok({"export", kScopes, "--format", "folded", "-o", dir.path("scopes.folded")});
  auto scopes = read_file(dir.path("scopes.folded"));
  std::int64_t sum = 0;
  for (const auto& line : lines_of(scopes))
    sum += std::stoll(line.substr(line.rfind(' ') + 1));
  CHECK(sum == 1'600'000'000);  // every self time of both processes, nothing counted twice
  for (const char* line : {"main 200000000", "main;fib;fib;fib 300000000", "main;work 350000000",
                           "work;io 50000000", "main;work;ns::Solver::step 200000000"})
    CHECK(has_line(scopes, line));

  struct Planted {
    const char* view;
    std::vector<std::string> lines;
  };
  for (const auto& planted : std::vector<Planted>{
           {"peak", {"main;assemble 11534336", "main;load 20480"}},
           {"leaks", {"main;assemble 1024", "main;load 8192"}},
           {"allocations", {"main;assemble 22020096", "main;load 245760"}},
       }) {
    // The totals of prof report --mem --view (planted: assemble and load), one line per path of names.
    export_ok({"export", kMemory1, kMemory2, "--format", "folded", "--view", planted.view, "-o",
               dir.path(std::string(planted.view) + ".folded")});
    auto lines = lines_of(read_file(dir.path(std::string(planted.view) + ".folded")));
    INFO(planted.view);
    CHECK(lines == planted.lines);
  }
}

TEST_CASE(
    "output: the file is written whole or not at all, an existing one kept unless --force, bad input one "
    "line and exit 2") {
  ScratchDir dir;
  auto out = dir.file("taken.folded", "keep me\n");
  auto refused = run_prof({"export", kScopes, "--format", "folded", "-o", out});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "prof: error: " + out + ": exists already (give --force to replace it)\n");
  CHECK(read_file(out) == "keep me\n");

  auto forced = run_prof({"export", kScopes, "--format", "folded", "--force", "-o", out});
  CHECK(forced.exit_code == 0);
  CHECK(forced.err == "prof: wrote " + out + " (folded, from 2 snapshots)\n");
  CHECK_THAT(read_file(out), Catch::StartsWith("main 200000000\n"));

  auto bad = dir.file("bad.prof.json", "{\"format\": \"libprof\", \"version\": 1");
  auto broken = run_prof({"export", bad, "--format", "chrome", "-o", dir.path("bad.json")});
  CHECK(broken.exit_code == 2);
  REQUIRE(broken.err_lines().size() == 1);
  CHECK_THAT(broken.err, Catch::StartsWith("prof: error: " + bad + ": "));
  CHECK_FALSE(std::filesystem::exists(dir.path("bad.json")));

  auto memory_only = run_prof({"export", kMemory1, "--format", "pstats", "-o", dir.path("m.pstats")});
  CHECK(memory_only.exit_code == 2);
  CHECK_THAT(memory_only.err, Catch::Contains("no scopes"));
  CHECK_FALSE(std::filesystem::exists(dir.path("m.pstats")));

  auto no_memory = run_prof({"export", kScopes, "--format", "speedscope", "--mem", "-o", dir.path("m.json")});
  CHECK(no_memory.exit_code == 2);
  CHECK(no_memory.err == "prof: error: --mem: these snapshots hold no memory section\n");
  CHECK_FALSE(std::filesystem::exists(dir.path("m.json")));

  auto unknown = run_prof({"export", kScopes, "--format", "xml", "-o", dir.path("x")});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown format \"xml\""));

  // No temporary file is left behind by any of these.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    INFO(entry.path());
    CHECK(entry.path().filename().string()[0] != '.');
    ++files;
  }
  CHECK(files == 2);  // taken.folded and bad.prof.json
}
