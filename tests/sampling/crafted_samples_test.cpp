// The samples' reports on crafted snapshots (tests/sampling/data/), so every figure is exact: two MPI ranks
// sampled on the wall clock (wall_ranks/: rank 0 has force 60, neighbor 20 in thread "nbr", MPI_Wait 20
// waiting; rank 1 force 30, neighbor 20, MPI_Wait 50 waiting; 100 Hz), a snapshot written before samples
// had threads (old_format), and one whose threads table is broken (bad_threads).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "sampling_support.hpp"

namespace {

using namespace prof::test::sampling;
using prof::test::TempDir;

const std::string kData = PROF_SAMPLING_DATA_DIR;

}  // namespace

TEST_CASE("Crafted ranks: flat shares, waiting, and the across table by rank", "[sampling][crafted]") {
  TempDir dir;
  auto flat = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples"});
  CHECK(flat.number("name", "force", "self_percent") == Approx(45));
  CHECK(flat.number("name", "MPI_Wait", "self_percent") == Approx(35));
  CHECK(flat.number("name", "MPI_Wait", "waiting_percent") == Approx(100));
  CHECK(flat.number("name", "force", "waiting_percent") == Approx(0));
  CHECK(flat.number("name", "main", "waiting_percent") == Approx(35));
  CHECK(flat.number("name", "force", "total_seconds") == Approx(0.9));
  auto across = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--across"});
  const auto& force = across.row("name", "force");
  CHECK(force.at("min_rank") == "1");
  CHECK(force.at("max_rank") == "0");
  CHECK(std::stod(force.at("min_seconds")) == Approx(0.3));
  CHECK(std::stod(force.at("max_seconds")) == Approx(0.6));
  CHECK(std::stod(force.at("imbalance")) == Approx(0.6 / 0.45));
  const auto& wait = across.row("name", "MPI_Wait");
  CHECK(wait.at("max_rank") == "1");
  CHECK(std::stod(wait.at("imbalance")) == Approx(0.5 / 0.35));
  // Text: the running and waiting shares.
  auto text = prof::test::run({kProf, "report", kData + "/wall_ranks", "--samples"}, {}, dir.path());
  CHECK(text.out.find("Samples (wall clock)") != std::string::npos);
  CHECK(text.out.find("running                                      65.0 %") != std::string::npos);
  CHECK(text.out.find("across 2 ranks") != std::string::npos);
}

TEST_CASE("Crafted ranks: threads with their rank and name, by file and module, callees",
          "[sampling][crafted]") {
  TempDir dir;
  auto threads = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--threads"});
  const auto& nbr = threads.row("thread_name", "nbr");
  CHECK(nbr.at("rank") == "0");
  CHECK(nbr.at("tid") == "5001");
  CHECK(nbr.at("thread_samples") == "20");
  CHECK(threads.row("tid", "6000").at("thread_name").empty());  // rank 1 wrote no names
  CHECK(threads.row("tid", "6000").at("rank") == "1");
  auto text =
      prof::test::run({kProf, "report", kData + "/wall_ranks", "--samples", "--threads"}, {}, dir.path());
  CHECK(text.out.find("rank 0, pid 5000 md, tid 5001 \"nbr\": 20 samples (10.0 % of all, 0.0 % waiting)") !=
        std::string::npos);
  CHECK(text.out.find("rank 1, pid 6000 md, tid 6000: 100 samples (50.0 % of all, 50.0 % waiting)") !=
        std::string::npos);

  auto files = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--by", "file"});
  CHECK(files.number("name", "/src/md/force.cpp", "self_percent") == Approx(45));
  auto modules = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--by", "module"});
  CHECK(modules.number("name", "md", "self_percent") == Approx(65));
  CHECK(modules.number("name", "libmpi.so.40", "self_percent") == Approx(35));
  auto lines = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--by", "line"});
  CHECK(lines.number("name", "/src/md/neighbor.cpp:30", "self_percent") == Approx(20));
  auto callees = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--callees", "main"});
  CHECK(callees.number("name", "force", "function_percent") == Approx(45));
  CHECK(callees.number("name", "MPI_Wait", "samples") == 70);
  auto callers = prof_csv(dir, {"report", kData + "/wall_ranks", "--samples", "--callers", "MPI_"});
  CHECK(callers.number("name", "main", "function_percent") == Approx(100));
}

TEST_CASE("Crafted: prof diff --samples between two ranks' snapshots", "[sampling][crafted][diff]") {
  TempDir dir;
  auto diff = prof_csv(dir, {"diff", kData + "/wall_ranks/md.r0000.5000.prof.json",
                             kData + "/wall_ranks/md.r0001.6000.prof.json", "--samples"});
  CHECK(diff.number("name", "force", "old_self_percent") == Approx(60));
  CHECK(diff.number("name", "force", "new_self_percent") == Approx(30));
  CHECK(diff.number("name", "force", "self_change") == Approx(-30));
  CHECK(diff.number("name", "MPI_Wait", "self_change") == Approx(30));
  CHECK(diff.number("name", "neighbor", "self_change") == Approx(0));
  CHECK(diff.rows.size() == 4);
  CHECK(diff.rows.back().at("name") != "force");  // biggest change first
}

TEST_CASE(
    "Crafted: a snapshot without thread columns reads as one running thread and a broken one is refused",
    "[sampling][crafted]") {
  TempDir dir;
  auto old = prof_csv(dir, {"report", kData + "/old_format.7000.prof.json", "--samples"});
  CHECK(old.number("name", "force", "self_percent") == Approx(70));
  CHECK(std::find(old.columns.begin(), old.columns.end(), "waiting_percent") == old.columns.end());
  auto threads = prof_csv(dir, {"report", kData + "/old_format.7000.prof.json", "--samples", "--threads"});
  CHECK(threads.row("name", "force").at("tid") == "0");
  auto bad =
      prof::test::run({kProf, "report", kData + "/bad_threads.7001.prof.json", "--samples"}, {}, dir.path());
  CHECK(bad.code() == 2);
  CHECK(bad.err ==
        "prof: error: " + kData +
            "/bad_threads.7001.prof.json: samples.threads.rows[0]: expected an integer, found a string\n");
}

TEST_CASE("Crafted: dropped samples are always counted and warned of from 1 % of the samples taken",
          "[sampling][crafted]") {
  TempDir dir;
  // old_format: 100 samples kept, 2 dropped (2 of 102 taken). The same with 1 dropped is 1 of 101.
  std::ifstream in(kData + "/old_format.7000.prof.json");
  std::stringstream text;
  text << in.rdbuf();
  std::string one_dropped = text.str();
  const auto at = one_dropped.find("\"dropped\": 2");
  REQUIRE(at != std::string::npos);
  one_dropped.replace(at, 12, "\"dropped\": 1");
  const auto path = (dir.path() / "one_dropped.7000.prof.json").string();
  std::ofstream(path) << one_dropped;

  auto two =
      prof::test::run({kProf, "report", kData + "/old_format.7000.prof.json", "--samples"}, {}, dir.path());
  CHECK(two.code() == 0);
  CHECK(two.out.find("2 of 102 samples (2.0 %) were dropped") != std::string::npos);
  auto one = prof::test::run({kProf, "report", path, "--samples"}, {}, dir.path());
  CHECK(one.code() == 0);
  CHECK(one.out.find("were dropped") == std::string::npos);
  CHECK(one.out.find("dropped") != std::string::npos);  // the count among the facts
  auto csv = prof_csv(dir, {"report", path, "--samples"});
  CHECK(csv.number("name", "force", "self_percent") == Approx(70));
}
