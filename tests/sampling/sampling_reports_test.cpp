// The samples' reports end to end on planted programs: --sample-clock wall against cpu (half asleep, half
// spinning), --by line/file/module, --callers/--callees, --threads, the across table of two processes, and
// prof diff --samples. Shares are asserted broadly and timings never: the machine may be busy.
#include <simdjson.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "sampling_support.hpp"

namespace {

using namespace prof::test::sampling;
using prof::test::TempDir;

std::string clock_of(const TempDir& dir, const std::string& run) {
  auto files = prof::test::snapshots_in(dir.path() / run);
  REQUIRE(files.size() == 1);
  simdjson::dom::parser parser;
  std::string_view clock;
  REQUIRE(parser.load(files[0].string())["samples"]["clock"].get(clock) == simdjson::SUCCESS);
  return std::string(clock);
}

}  // namespace

TEST_CASE(
    "Wall clock: sleeping is sampled as waiting (--sample-clock wall) and cpu sees only the spinning half",
    "[sampling][wall]") {
  TempDir dir;
  const std::vector<std::string> program = {kPrograms + "/sleep_spin", "16", "0.05"};
  auto wall = prof_run(dir, "wall", {"--sample-clock", "wall"}, program);
  INFO(wall.err);
  REQUIRE(wall.code() == 0);
  CHECK(wall.out == "16 rounds of 0.050 s spinning and 0.050 s asleep\n");  // slept its whole time
  REQUIRE(prof::test::validate(dir.path() / "wall") == 0);
  CHECK(clock_of(dir, "wall") == "wall");
  auto w = prof_csv(dir, {"report", at(dir, "wall"), "--samples"});
  // About half each: both halves are timed on the monotonic clock, so load cannot stretch one of them.
  CHECK(w.number("name", "sleep_half", "total_percent") == Approx(50).margin(15));
  CHECK(w.number("name", "spin_half", "total_percent") == Approx(50).margin(15));
  // The sleep is waiting; the spin mostly running (it waits only when the machine has no CPU for it).
  CHECK(w.number("name", "sleep_half", "waiting_percent") > 80);
  CHECK(w.number("name", "spin_half", "waiting_percent") < w.number("name", "sleep_half", "waiting_percent"));

  auto cpu = prof_run(dir, "cpu", {}, program);
  REQUIRE(cpu.code() == 0);
  CHECK(clock_of(dir, "cpu") == "cpu");
  auto c = prof_csv(dir, {"report", at(dir, "cpu"), "--samples"});
  CHECK(c.number("name", "spin_half", "total_percent") > 90);
  bool sleep_seen = false;
  for (const auto& row : c.rows)
    if (row.at("name") == "sleep_half") sleep_seen = std::stod(row.at("total_percent")) > 5;
  CHECK_FALSE(sleep_seen);
  CHECK(std::find(c.columns.begin(), c.columns.end(), "waiting_percent") == c.columns.end());
}

TEST_CASE("On the wall clock nanosleep, read and poll still never fail (--sample 1000)",
          "[sampling][wall][eintr]") {
  TempDir dir;
  auto plain = prof::test::run({kPrograms + "/blocking_calls"}, {}, dir.path());
  REQUIRE(plain.code() == 0);
  // The timer would fire while the threads sleep: the calls the kernel does not restart run with its signal
  // blocked, their samples taken right after (sampling/interruptions.cpp); unwrapped, ~200 failed with EINTR.
  auto sampled =
      prof_run(dir, "run", {"--sample-clock", "wall", "--sample", "1000"}, {kPrograms + "/blocking_calls"});
  INFO(sampled.err);
  CHECK(sampled.code() == plain.code());
  CHECK(sampled.out == plain.out);
  CHECK(sampled.out.find("failures 0") != std::string::npos);
  CHECK(clock_of(dir, "run") == "wall");
  // The sleeping and polling threads were sampled, waiting.
  auto rows = prof_csv(dir, {"report", at(dir, "run"), "--samples"});
  CHECK(rows.number("name", "main", "waiting_percent") > 50);
  // The shim's wrappers between the program and libc are left out of the stacks: prof's, not the program's.
  auto modules = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--by", "module"});
  for (const auto& row : modules.rows)
    if (row.at("name") == "libprof_preload.so") CHECK(std::stod(row.at("total_percent")) < 5);
  CHECK(modules.number("name", "libc.so.6", "total_percent") > 50);
}

TEST_CASE("On the wall clock sem_timedwait, sigtimedwait, semtimedop, semop and msgrcv never fail",
          "[sampling][wall][eintr]") {
  TempDir dir;
  auto plain = prof::test::run({kPrograms + "/timed_waits"}, {}, dir.path());
  REQUIRE(plain.out == "timeouts 30 received 20 failures 0\n");
  auto sampled =
      prof_run(dir, "run", {"--sample-clock", "wall", "--sample", "1000"}, {kPrograms + "/timed_waits"});
  INFO(sampled.err);
  CHECK(sampled.code() == 0);
  CHECK(sampled.out == plain.out);
}

TEST_CASE("On the wall clock a fortified program's poll and ppoll (__poll_chk) still time out, never fail",
          "[sampling][wall][eintr]") {
  TempDir dir;
  auto plain = prof::test::run({kPrograms + "/fortified_poll"}, {}, dir.path());
  REQUIRE(plain.out == "timeouts 50 failures 0\n");
  auto sampled =
      prof_run(dir, "run", {"--sample-clock", "wall", "--sample", "1000"}, {kPrograms + "/fortified_poll"});
  INFO(sampled.err);
  CHECK(sampled.code() == 0);
  CHECK(sampled.out == plain.out);
}

TEST_CASE("On the wall clock the program's own alarm still cuts its blocking calls short with EINTR",
          "[sampling][wall][eintr]") {
  TempDir dir;
  auto plain = prof::test::run({kPrograms + "/own_alarm", "3"}, {}, dir.path());
  REQUIRE(plain.code() == 0);
  REQUIRE(plain.out.find("wrong 0") != std::string::npos);
  // Its SIGALRM handler works 3 ms: at 1 kHz a sample lands in it, during the same call as the alarm. The
  // shim must give the program its EINTR, not resume the call for 2 s (sampling/interruptions.cpp).
  auto sampled =
      prof_run(dir, "run", {"--sample-clock", "wall", "--sample", "1000"}, {kPrograms + "/own_alarm", "3"});
  INFO(sampled.err);
  CHECK(sampled.code() == plain.code());
  CHECK(sampled.out == plain.out);
  // Held while each call blocked, the samples come after it weighted by the periods missed: the 51 calls of
  // at least 33 ms each count at least their 1.7 s (1 s asserted), waiting.
  auto rows = prof_csv(dir, {"report", at(dir, "run"), "--samples"});
  CHECK(rows.number("name", "main", "total_seconds") > 1.0);
  CHECK(rows.number("name", "main", "waiting_percent") > 50);
}

TEST_CASE("PROF_SAMPLE_CLOCK=wall from the environment, and a bad value said once", "[sampling][wall]") {
  TempDir dir;
  auto wall = prof_run(dir, "wall", {}, {kPrograms + "/sleep_spin", "2", "0.02"}, {"PROF_SAMPLE_CLOCK=wall"});
  REQUIRE(wall.code() == 0);
  CHECK(clock_of(dir, "wall") == "wall");
  auto bad = prof_run(dir, "bad", {}, {kPrograms + "/sleep_spin", "2", "0.02"}, {"PROF_SAMPLE_CLOCK=walll"});
  REQUIRE(bad.code() == 0);
  CHECK(bad.err.find("PROF_SAMPLE_CLOCK=walll") != std::string::npos);
  CHECK(clock_of(dir, "bad") == "cpu");
  auto refused = prof::test::run(
      {kProf, "run", "--sample-clock", "sun", "--", kPrograms + "/sleep_spin", "1"}, {}, dir.path());
  CHECK(refused.code() == 2);
}

TEST_CASE("Samples by line, file and module, callers and callees of the planted 60/30/10 %",
          "[sampling][reports]") {
  TempDir dir;
  REQUIRE(prof_run(dir, "run", {}, {kPrograms + "/planted_cpu", "1.0"}).code() == 0);
  SECTION("--by module, file and line: nearly every sample is in burn's loop, in the program") {
    auto modules = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--by", "module"});
    CHECK(modules.number("name", "planted_cpu", "self_percent") > 90);
    auto files = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--by", "file"});
    double in_file = 0;
    for (const auto& row : files.rows)
      if (row.at("name").ends_with("/planted_cpu.cpp")) in_file += std::stod(row.at("self_percent"));
    CHECK(in_file > 90);
    auto lines = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--by", "line"});
    double in_lines = 0;
    std::set<std::string> names;
    for (const auto& row : lines.rows) {
      names.insert(row.at("name"));
      if (row.at("name").find("/planted_cpu.cpp:") != std::string::npos)
        in_lines += std::stod(row.at("self_percent"));
    }
    CHECK(in_lines > 90);
    CHECK(names.size() > 3);  // the loop, the three callers' lines, libc's
  }
  SECTION("--callers burn: its three callers with their planted shares") {
    auto callers = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--callers", "burn"});
    CHECK(callers.number("name", "burn_sixty", "function_percent") == Approx(60).margin(2));
    CHECK(callers.number("name", "burn_thirty", "function_percent") == Approx(30).margin(2));
    CHECK(callers.number("name", "burn_ten", "function_percent") == Approx(10).margin(2));
    CHECK(callers.rows.size() == 3);
    auto callees = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--callees", "burn_thirty"});
    CHECK(callees.number("name", "burn", "function_percent") > 95);
    CHECK(callees.number("name", "burn", "total_percent") == Approx(30).margin(2));
  }
  SECTION("--threads: one table per thread, each thread's share as planted") {
    auto threads = prof_csv(dir, {"report", at(dir, "run"), "--samples", "--threads"});
    std::set<std::string> tids, burning;
    double all = 0, in_burning = 0;
    for (const auto& row : threads.rows)
      if (tids.insert(row.at("tid")).second) all += std::stod(row.at("thread_samples"));
    for (const auto& row : threads.rows)
      if (row.at("name").starts_with("burn_") && burning.insert(row.at("tid")).second)
        in_burning += std::stod(row.at("thread_samples"));
    CHECK(burning.size() == 3);
    // The main thread only starts and joins them: a sample or two of the process's start at most (beside two
    // CPU hogs its start took 10 ms of CPU, page faults in this VM, in 2 runs of 10).
    CHECK(tids.size() <= 4);
    CHECK(all - in_burning <= 0.03 * all);
    const auto& sixty = threads.row("name", "burn_sixty");
    CHECK(std::stod(sixty.at("thread_samples")) / all * 100 == Approx(60).margin(2));
    CHECK(std::stod(sixty.at("total_percent")) == Approx(100));  // of its own thread
    const auto& ten = threads.row("name", "burn_ten");
    CHECK(std::stod(ten.at("thread_samples")) / all * 100 == Approx(10).margin(2));
    CHECK(sixty.at("tid") != ten.at("tid"));
    CHECK(sixty.at("thread_name") == "planted_cpu");
  }
  SECTION("Bad input: one line, exit 2") {
    auto bad =
        prof::test::run({kProf, "report", at(dir, "run"), "--samples", "--by", "traceback"}, {}, dir.path());
    CHECK(bad.code() == 2);
    CHECK(bad.err.find("prof: error: --by: unknown key \"traceback\" for samples") == 0);
    auto none = prof::test::run({kProf, "report", at(dir, "run"), "--samples", "--callers", "nowhere"}, {},
                                dir.path());
    CHECK(none.code() == 2);
    CHECK(none.err.find("no sampled function") != std::string::npos);
  }
}

TEST_CASE("Two processes: the across table names who spent least and most", "[sampling][across]") {
  TempDir dir;
  auto big = prof_run(dir, "big", {}, {kPrograms + "/planted_cpu", "1.0"});
  auto small = prof_run(dir, "small", {}, {kPrograms + "/planted_cpu", "0.5"});
  REQUIRE(big.code() == 0);
  REQUIRE(small.code() == 0);
  auto pid_of = [&](const std::string& run) {
    auto name =
        prof::test::snapshots_in(dir.path() / run).at(0).filename().string();  // planted_cpu.PID.prof.json
    auto first = name.find('.') + 1;
    return name.substr(first, name.find('.', first) - first);
  };
  auto across = prof_csv(dir, {"report", at(dir, "big"), at(dir, "small"), "--samples", "--across"});
  const auto& sixty = across.row("name", "burn_sixty");
  // 0.6 s of CPU in one, 0.3 s in the other: max/mean 0.6 / 0.45.
  CHECK(sixty.at("max_pid") == pid_of("big"));
  CHECK(sixty.at("min_pid") == pid_of("small"));
  CHECK(std::stod(sixty.at("imbalance")) == Approx(1.33).margin(0.1));
  CHECK(std::stod(sixty.at("max_seconds")) / std::stod(sixty.at("min_seconds")) == Approx(2).margin(0.3));
  // Text shows the flat table and the across table together.
  auto text =
      prof::test::run({kProf, "report", at(dir, "big"), at(dir, "small"), "--samples"}, {}, dir.path());
  CHECK(text.out.find("across 2 processes") != std::string::npos);
}

TEST_CASE("prof diff --samples: each function's share in OLD and NEW and the change", "[sampling][diff]") {
  TempDir dir;
  REQUIRE(prof_run(dir, "old", {}, {kPrograms + "/planted_cpu", "0.6"}).code() == 0);
  REQUIRE(prof_run(dir, "new", {}, {kPrograms + "/sleep_spin", "6", "0.05"}).code() == 0);
  auto diff = prof_csv(dir, {"diff", at(dir, "old"), at(dir, "new"), "--samples"});
  CHECK(diff.number("name", "burn_sixty", "old_total_percent") == Approx(60).margin(2));
  CHECK(diff.number("name", "burn_sixty", "new_total_percent") == 0);
  CHECK(diff.number("name", "burn_sixty", "total_change") == Approx(-60).margin(2));
  CHECK(diff.number("name", "spin_half", "new_self_percent") > 90);
  CHECK(diff.number("name", "spin_half", "self_change") > 90);
  // Biggest change of self share first: burn (100 % self before) and spin_half lead.
  std::set<std::string> first_two = {diff.rows.at(0).at("name"), diff.rows.at(1).at("name")};
  CHECK(first_two == std::set<std::string>{"burn", "spin_half"});
  auto same = prof_csv(dir, {"diff", at(dir, "old"), at(dir, "old"), "--samples"});
  CHECK(same.number("name", "burn_sixty", "total_change") == 0);
}
