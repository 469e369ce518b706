// Several processes in one report: the figures across ranks, --by-rank, --rank/--pid, the fork tree, the
// oversubscription warning and the mpi section, on snapshots planted here with known numbers.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "merge/report_merge.hpp"
#include "merge/spread.hpp"
#include "merge_checks.hpp"
#include "planted_run.hpp"
#include "read/snapshot_files.hpp"
#include "run_prof.hpp"

using namespace prof::viewer;
using prof::test::Planted;
using prof::test::run_prof;
using prof::test::RunDir;
namespace fs = std::filesystem;

namespace {

// 4 ranks: work takes 1, 2, 3, 4 s; peak heap 100, 200, 300, 400 bytes except rank 2, which has none.
void four_ranks(RunDir& dir, int omp = 1) {
  for (int r = 0; r < 4; ++r)
    dir.add({.rank = r,
             .pid = 100 + r,
             .work_seconds = r + 1.0,
             .peak_bytes = r == 2 ? 0 : 100 * (r + 1),
             .omp = std::to_string(omp),
             .bcast_ns = (r + 1) * 1'000'000'000LL});
}

}  // namespace

TEST_CASE("a spread over processes: sum, min, mean, max with their process, cv and imbalance") {
  Spread spread;
  for (int p = 0; p < 4; ++p)
    spread.add(p, p + 1.0);
  auto s = spread.stats(4);
  CHECK(s.sum == 10);
  CHECK(s.min == 1);
  CHECK(s.min_process == 0);
  CHECK(s.mean == 2.5);
  CHECK(s.max == 4);
  CHECK(s.max_process == 3);
  CHECK(s.imbalance == Approx(1.6));
  CHECK(s.cv == Approx(std::sqrt(1.25) / 2.5));
  // A process without the row counts as 0: the min is the first one missing.
  Spread gaps;
  gaps.add(0, 5);
  gaps.add(2, 3);
  auto g = gaps.stats(4);
  CHECK(g.min == 0);
  CHECK(g.min_process == 1);
  CHECK(g.mean == 2);
  CHECK(g.max_process == 0);
}

TEST_CASE("a spread in a fork pool: what only the workers did is over the workers, the rest over all") {
  const std::vector<bool> parent = {true, false, false, false};  // process 0 forked 1, 2 and 3
  Spread work;                                                   // the workers' own work
  work.add(1, 1);
  work.add(2, 2);
  work.add(3, 3);
  auto w = work.stats(parent);
  CHECK(w.processes == 3);
  CHECK(w.mean == 2);
  CHECK(w.min == 1);
  CHECK(w.min_process == 1);
  CHECK(w.imbalance == Approx(1.5));
  Spread gather;  // the parent's alone
  gather.add(0, 4);
  CHECK(gather.stats(parent).processes == 1);
  CHECK(gather.stats(parent).imbalance == 1);
  Spread both;  // done by the parent and one worker: over all four, the others count as 0
  both.add(0, 2);
  both.add(2, 2);
  auto b = both.stats(parent);
  CHECK(b.processes == 4);
  CHECK(b.mean == 1);
  CHECK(b.min == 0);
  CHECK(b.min_process == 1);
  // Without parents every process is a peer: stats(n) and stats(all false) agree.
  CHECK(work.stats(std::vector<bool>(4, false)).mean == work.stats(4).mean);
  CHECK(work.stats(std::vector<bool>(4, false)).min_process == 0);
}

TEST_CASE("across ranks: scope cumtime and memory peak per rank, exact") {
  RunDir dir("across");
  four_ranks(dir);
  auto csv = run_prof({"report", "--scopes", "--across", "--format", "csv", dir.str()});
  CHECK(csv.exit_code == 0);
  CHECK_THAT(csv.out,
             Catch::StartsWith("name,file,line,sum_seconds,min_seconds,min_rank,mean_seconds,max_seconds,"
                               "max_rank,cv,imbalance\n"
                               "work,app.cpp,10,10,1,0,2.5,4,3,0.447"));
  CHECK_THAT(csv.out, Catch::Contains(",1.6\n"));
  auto text = run_prof({"report", "--scopes", dir.str()}).out;
  CHECK_THAT(text, Catch::Contains("across 4 ranks"));
  CHECK_THAT(text, Catch::Contains("1.00 s (0)"));
  CHECK_THAT(text, Catch::Contains("4.00 s (3)"));
  // Memory: rank 2 has no peak at the site: min 0 at rank 2, max 400 at rank 3, sum 700, mean 175.
  auto mem = run_prof({"report", "--mem", "--across", "--format", "csv", dir.str()});
  CHECK_THAT(mem.out,
             Catch::Contains("\n/src/app/solver.cpp:42,/src/app/solver.cpp,42,assemble,700,0,2,175,400,3,"));
}

TEST_CASE("report --by-rank: one row per rank with heap, rss and MPI time") {
  RunDir dir("byrank");
  four_ranks(dir);
  auto csv = run_prof({"report", "--by-rank", "--format", "csv", dir.str()});
  CHECK(csv.exit_code == 0);
  CHECK(csv.out ==
        "rank,host,pid,wall_seconds,cpu_seconds,peak_heap_bytes,max_rss_bytes,mpi_seconds,mpi_percent\n"
        "0,node1,100,10,1,100,1100,1,10\n"
        "1,node1,101,10,1,200,1101,2,20\n"
        "2,node1,102,10,1,0,1102,3,30\n"
        "3,node1,103,10,1,400,1103,4,40\n");
}

TEST_CASE("report --rank and --pid restrict the report to one process, or say that none matches") {
  RunDir dir("filter");
  four_ranks(dir);
  auto one = run_prof({"report", "--by-rank", "--rank", "2", "--format", "csv", dir.str()});
  CHECK(one.out ==
        "rank,host,pid,wall_seconds,cpu_seconds,peak_heap_bytes,max_rss_bytes,mpi_seconds,"
        "mpi_percent\n2,node1,102,10,1,0,1102,3,30\n");
  auto pid = run_prof({"report", "--meta", "--pid", "101", "--format", "csv", dir.str()});
  CHECK_THAT(pid.out, Catch::Contains("\n101,1,solver,0,10,1,1101\n"));
  CHECK_THAT(pid.out, !Catch::Contains("\n100,"));
  auto none = run_prof({"report", "--rank", "9", dir.str()});
  CHECK(none.exit_code == 2);
  CHECK(none.err == "prof: error: --rank: no snapshot of rank 9 in these paths\n");
  auto no_pid = run_prof({"report", "--pid", "5", dir.str()});
  CHECK(no_pid.exit_code == 2);
  CHECK(no_pid.err_lines().size() == 1);
}

TEST_CASE("a fork pool of 4 workers shows as a tree of 5 processes with each one's heap") {
  RunDir dir("fork");
  Planted parent;
  parent.pid = 500;
  parent.peak_bytes = 1000;
  dir.add(parent);
  for (int w = 0; w < 4; ++w) {
    Planted worker;
    worker.pid = 501 + w;
    worker.ppid = 500;
    worker.peak_bytes = 2000 + w;
    worker.start = 1;
    worker.wall = 5;
    dir.add(worker);
  }
  auto text = run_prof({"report", "--meta", dir.str()}).out;
  CHECK_THAT(text, Catch::Contains("processes       5"));
  CHECK_THAT(text, Catch::Contains("peak heap"));
  CHECK_THAT(text, Catch::Contains("  500     1  solver"));
  CHECK_THAT(text, Catch::Contains("  501   500    solver"));  // indented below its parent
  CHECK_THAT(text, Catch::Contains("  504   500    solver"));
  CHECK_THAT(text, !Catch::Contains("warning"));  // 4 busy workers on 8 cores, the parent waiting
  auto csv = run_prof({"report", "--meta", "--format", "csv", dir.str()}).out;
  CHECK_THAT(csv, Catch::Contains("\n503,500,solver,0,5,1,1503,2002\n"));
}

TEST_CASE("oversubscription: said when ranks x threads exceed the cores, not otherwise") {
  RunDir fine("fine");
  four_ranks(fine, 2);  // 4 x 2 = 8 threads on 8 cores
  auto ok = run_prof({"report", "--meta", fine.str()});
  CHECK_THAT(ok.out, Catch::Contains("warning: host node1: 4 ranks share the host"));
  CHECK_THAT(ok.out, !Catch::Contains("oversubscribed"));
  RunDir single("single");
  four_ranks(single, 1);
  CHECK_THAT(run_prof({"report", "--meta", single.str()}).out, !Catch::Contains("warning"));
  RunDir over("over");
  four_ranks(over, 8);  // 32 threads on 8 cores
  auto text = run_prof({"report", "--meta", over.str()}).out;
  CHECK_THAT(text, Catch::Contains("host node1: 4 processes ran at once with 32 threads in all, on 8 cores"));
  CHECK_THAT(text, Catch::Contains("rank 0 (8), rank 1 (8), rank 2 (8), rank 3 (8)"));
  auto json = run_prof({"report", "--meta", "--format", "json", over.str()}).out;
  CHECK_THAT(json, Catch::Contains("\"warnings\": [\"host node1: 4 processes ran at once"));
  auto csv = run_prof({"report", "--meta", "--format", "csv", over.str()});
  CHECK_THAT(csv.err, Catch::Contains("prof: warning: host node1: 4 processes"));
  CHECK_THAT(csv.out, !Catch::Contains("warning"));
}

TEST_CASE("oversubscription: an MPI runtime's helper threads are not the program's") {
  RunDir dir("helpers");
  for (int r = 0; r < 4; ++r)
    dir.add({.rank = r, .pid = 100 + r, .threads = 3, .runtime_threads = 2});
  CHECK_THAT(run_prof({"report", "--meta", dir.str()}).out, !Catch::Contains("warning"));
}

TEST_CASE("oversubscription: workers that share their rank's one bound core") {
  RunDir dir("bound");
  for (int r = 0; r < 2; ++r) {
    const int parent = 100 + 10 * r;
    const std::string core = std::to_string(r);
    dir.add({.rank = r, .pid = parent, .cpu_list = core, .cpus_allowed = 1});
    for (int w = 1; w <= 3; ++w)
      dir.add({.rank = r,
               .pid = parent + w,
               .ppid = parent,
               .start = 1,
               .wall = 5,
               .cpu_list = core,
               .cpus_allowed = 1});
  }
  auto text = run_prof({"report", "--meta", dir.str()}).out;
  // 6 workers on a host of 8 cores: fine for the host, not for the one core each rank's three share.
  CHECK_THAT(text, !Catch::Contains("in all, on 8 cores"));
  CHECK_THAT(text,
             Catch::Contains("host node1: 3 processes bound to CPU 0 ran at once with 3 threads on 1 core"));
  CHECK_THAT(text,
             Catch::Contains("host node1: 3 processes bound to CPU 1 ran at once with 3 threads on 1 core"));
  // Ranks that each have the whole host are not bound: nothing to say.
  RunDir spread("unbound");
  for (int w = 1; w <= 3; ++w)
    spread.add({.rank = 0, .pid = 100 + w, .ppid = 100, .start = 1, .wall = 5, .cpu_list = "0-7"});
  CHECK_THAT(run_prof({"report", "--meta", spread.str()}).out, !Catch::Contains("ran at once"));
}

TEST_CASE("by rank: the slowest rank has the most time outside MPI, its imbalance over the mean") {
  RunDir dir("slowest");
  four_ranks(dir);  // wall 10 s each, MPI (r + 1) s: outside MPI 9, 8, 7, 6 s
  auto json = run_prof({"report", "--by-rank", "--format", "json", dir.str()});
  REQUIRE(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"slowest_rank\": 0,"));
  CHECK_THAT(json.out, Catch::Contains("\"slowest_outside_mpi_seconds\": 9,"));
  CHECK_THAT(json.out, Catch::Contains("\"mean_outside_mpi_seconds\": 7.5,"));
  CHECK_THAT(json.out, Catch::Contains("\"imbalance\": 1.2,"));
  CHECK_THAT(json.out, Catch::Contains("\"most_waiting_rank\": 3,"));
  auto text = run_prof({"report", "--by-rank", dir.str()}).out;
  CHECK_THAT(text, Catch::Contains("slowest rank           0\n"));
  CHECK_THAT(text, Catch::Contains("imbalance (max/mean)   1.20\n"));
}

TEST_CASE("the mpi section is read and shown: operations summed, time across ranks") {
  RunDir dir("mpi");
  four_ranks(dir);
  auto csv = run_prof({"report", "--mpi", "--format", "csv", dir.str()});
  CHECK(csv.exit_code == 0);
  CHECK_THAT(csv.out, Catch::StartsWith("name,calls,bytes_sent_bytes,bytes_received_bytes,total_seconds\n"
                                        "MPI_Bcast,40,16384,0,10\n"));
  CHECK_THAT(csv.out, !Catch::Contains("\nMPI_Bcast,10,1,0,2.5,4,3,"));  // one table per csv
  auto across = run_prof({"report", "--mpi", "--across", "--format", "csv", dir.str()});
  CHECK_THAT(across.out, Catch::Contains("\nMPI_Bcast,10,1,0,2.5,4,3,"));
  auto text = run_prof({"report", dir.str()}).out;  // shown by default when present
  CHECK_THAT(text, Catch::Contains("MPI\n  library"));
  CHECK_THAT(text, Catch::Contains("Open MPI v4.1.4"));
  // A wrong type is the usual one-line error.
  RunDir bad("mpibad");
  Planted one;
  one.rank = 0;
  one.pid = 1;
  one.bcast_ns = 5;
  auto text_of = snapshot_text(one);
  auto at = text_of.find("\"calls\": 10");
  text_of.replace(at, 11, "\"calls\": \"ten\"");
  std::ofstream(bad.path / "bad.1.prof.json") << text_of;
  auto error = run_prof({"report", bad.str()});
  CHECK(error.exit_code == 2);
  CHECK_THAT(error.err, Catch::Contains("mpi.operations[0].calls"));
  CHECK(error.err_lines().size() == 1);
}

TEST_CASE("the streamed merge keeps no snapshot's tables, only each process's summary") {
  RunDir dir("stream");
  four_ranks(dir);
  ReportMerge merge(ScopeTimes::compensated, false, true, {}, true);
  merge_files(list_snapshot_files({dir.str()}), merge);
  prof::test::check_keeps_only_summaries(merge, 4);
}
