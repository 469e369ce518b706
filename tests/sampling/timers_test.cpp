// Programs with timers of their own keep them under `prof run` (issue 15): SIGPROF with
// setitimer(ITIMER_PROF) (how gprof and gperftools profile), ITIMER_VIRTUAL and ITIMER_REAL, and POSIX timers
// on every clock and notification (a thread CPU-time timer on SIGRTMAX-5 beside the sampler's SIGRTMAX-4,
// SIGEV_THREAD). The sampler's timers are per-thread POSIX timers on a signal of its own, so it shares: same
// output, same exit code, and the program is still sampled, no "sampling off" line.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using prof::test::TempDir;

const std::string kPrograms = PROF_SAMPLING_PROGRAMS_DIR;
const std::string kProf = std::string(PROF_TEST_BIN_DIR) + "/prof";

std::int64_t samples_in(const TempDir& dir) {
  auto files = prof::test::snapshots_in(dir.path() / "run");
  REQUIRE(files.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element samples;
  if (parser.load(files[0].string())["samples"].get(samples) != simdjson::SUCCESS) return -1;
  return std::int64_t(samples["samples"]);
}

void same_as_plain(const std::string& program, const std::string& expected) {
  TempDir dir;
  auto plain = prof::test::run({kPrograms + "/" + program}, {}, dir.path());
  INFO("plain stderr: " << plain.err);
  REQUIRE(plain.code() == 0);
  REQUIRE(plain.out == expected);
  for (const char* hz : {"199", "1000"}) {
    std::filesystem::remove_all(dir.path() / "run");
    auto sampled = prof::test::run(
        {kProf, "run", "-o", (dir.path() / "run").string(), "--sample", hz, "--", kPrograms + "/" + program},
        {}, dir.path());
    INFO("--sample " << hz << ", stderr under prof run: " << sampled.err);
    CHECK(sampled.code() == plain.code());
    CHECK(sampled.out == plain.out);
    CHECK(sampled.err.find("sampling off") == std::string::npos);
    CHECK(samples_in(dir) > 50);  // 0.6 s of CPU: ~120 samples at 199 Hz
  }
}

}  // namespace

TEST_CASE("SIGPROF with setitimer(ITIMER_PROF), ITIMER_VIRTUAL and ITIMER_REAL work as without prof",
          "[sampling][timers]") {
  same_as_plain("sigprof_timer", "setitimer ok 1, still armed 1, handlers kept 1, ticks counted 1\n");
}

TEST_CASE(
    "The program's own POSIX timers (CPU-time, per-thread, monotonic, SIGEV_THREAD) work as without prof",
    "[sampling][timers]") {
  // Before libunwind's sigprocmask was redirected (preload/memory/unwind_validation.cpp), glibc's
  // SIGEV_THREAD helper thread lost its block on SIGTIMER and the program died of signal 32.
  same_as_plain("own_timers",
                "timers created 1, still armed 1, deleted 1, counted 1, only the worker's thread 1\n");
}
