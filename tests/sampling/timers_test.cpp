// Programs with timers of their own keep them under `prof run` (issue 15): SIGPROF with
// setitimer(ITIMER_PROF) (how gprof and gperftools profile), ITIMER_VIRTUAL and ITIMER_REAL, and POSIX timers
// on every clock and notification (a thread CPU-time timer on SIGRTMAX-5 beside the sampler's SIGRTMAX-4,
// SIGEV_THREAD). The sampler's timers are per-thread POSIX timers on a signal of its own, so it shares: same
// output, same exit code, and the program is still sampled, no "sampling off" line, on the CPU clock and on
// the wall clock.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
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
  // The default, 1 kHz, and the wall clock (a CLOCK_MONOTONIC timer per thread, which fires while the
  // program's threads sleep too).
  const std::vector<std::vector<std::string>> modes = {
      {"--sample", "199"}, {"--sample", "1000"}, {"--sample-clock", "wall", "--sample", "1000"}};
  for (const auto& mode : modes) {
    std::filesystem::remove_all(dir.path() / "run");
    std::vector<std::string> argv = {kProf, "run", "-o", (dir.path() / "run").string()};
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.insert(argv.end(), {"--", kPrograms + "/" + program});
    auto sampled = prof::test::run(argv, {}, dir.path());
    INFO(mode.at(1) << ", stderr under prof run: " << sampled.err);
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

namespace {

// gperftools' libprofiler.so.0 from libgoogle-perftools-dev, or "".
std::string gperftools_profiler() {
  std::error_code ignored;
  for (const auto& dir : std::filesystem::directory_iterator("/usr/lib", ignored))
    if (std::filesystem::exists(dir.path() / "libprofiler.so.0"))
      return (dir.path() / "libprofiler.so.0").string();
  return "";
}

// The samples in a gperftools CPU profile (its legacy format: 8-byte words; a header of five, then records of
// count, depth and that many program counters, ending with the record 0, 1, 0).
long gperftools_samples(const std::filesystem::path& file) {
  const std::string bytes = prof::test::read_text(file);
  std::vector<std::uint64_t> words(bytes.size() / 8);
  std::memcpy(words.data(), bytes.data(), words.size() * 8);
  if (words.size() < 5 || words[0] != 0 || words[1] != 3) return -1;
  long samples = 0;
  for (std::size_t at = 5; at + 2 <= words.size();) {
    const std::uint64_t count = words[at], depth = words[at + 1];
    if (count == 0) break;  // the end record
    samples += static_cast<long>(count);
    at += 2 + depth;
  }
  return samples;
}

}  // namespace

TEST_CASE("gperftools' CPU profiler and prof's sampler both profile the same run", "[sampling][timers]") {
  const std::string profiler = gperftools_profiler();
  if (profiler.empty()) {
    WARN("libprofiler.so.0 is not installed (.ci/install-deps installs libgoogle-perftools-dev): skipped");
    return;
  }
  TempDir dir;
  const std::vector<std::string> program = {kPrograms + "/planted_cpu", "1.0"};
  auto plain = prof::test::run(program, {}, dir.path());
  REQUIRE(plain.code() == 0);
  std::vector<std::string> argv = {kProf, "run", "-o", (dir.path() / "run").string(), "--"};
  argv.insert(argv.end(), program.begin(), program.end());
  // prof run keeps the caller's LD_PRELOAD after the shim: gperftools starts in prof itself and in the
  // program; prof's own profile is cpu.prof, the program's cpu.prof_PID (gperftools names a child's so).
  auto both = prof::test::run(argv,
                              {"LD_PRELOAD=" + profiler, "CPUPROFILE=" + (dir.path() / "cpu.prof").string(),
                               "CPUPROFILE_FREQUENCY=100"},
                              dir.path());
  INFO(both.err);
  CHECK(both.code() == plain.code());
  CHECK(both.out == plain.out);
  CHECK(both.err.find("sampling off") == std::string::npos);
  std::filesystem::path program_profile;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().filename().string().starts_with("cpu.prof_")) program_profile = entry.path();
  REQUIRE(!program_profile.empty());
  // 1 s of CPU on three threads: on a quiet machine gperftools' process-wide ITIMER_PROF gets 55 to 80 of its
  // 100 SIGPROFs through, with or without prof (a pending SIGPROF is not queued twice), and prof ~199
  // samples. The kernel checks CPU-time timers at its tick, and on a loaded machine far fewer fire
  // (gperftools: 24 with CI's tests and three CPU hogs beside): the test asks that both profile, not how
  // much.
  CHECK(gperftools_samples(program_profile) > 5);
  CHECK(samples_in(dir) > 20);
}
