// Issue 11, item 1: the tracer owns no descriptor the program can see or close. A daemon-style program closes
// every fd from 3 up, opens its own input and output files and copies one into the other while allocating
// from new call paths: under the shim its output is the input byte for byte, no read or write fails, it sees
// the same descriptors as without the shim, and under RLIMIT_NOFILE = 5 its own two opens still succeed.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using prof::test::TempDir;
namespace fs = std::filesystem;

const std::string kOwnFiles = std::string(PROF_MEMORY_PROGRAMS_DIR) + "/own_files";
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

std::string write_input(const fs::path& file) {
  std::mt19937 random(11);
  std::string bytes(40000, '\0');
  for (char& c : bytes)
    c = static_cast<char>(random());
  std::ofstream(file, std::ios::binary) << bytes;
  return bytes;
}

struct Outcome {
  prof::test::RunResult result;
  std::string output;
};

Outcome run_own_files(const TempDir& dir, const std::vector<std::string>& mode, bool traced) {
  const fs::path input = dir.path() / "input.bin", output = dir.path() / "output.bin";
  std::vector<std::string> argv = {kOwnFiles};
  argv.insert(argv.end(), mode.begin(), mode.end());
  argv.push_back(input.string());
  argv.push_back(output.string());
  std::vector<std::string> env;
  if (traced) env = {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string()};
  Outcome outcome;
  outcome.result = prof::test::run(argv, env, dir.path());
  outcome.output = prof::test::read_text(output);
  return outcome;
}

}  // namespace

TEST_CASE("a program that closes every fd and opens its own files keeps them under the shim", "[memory]") {
  for (const char* mode : {"daemon", "keep"}) {
    INFO(mode);
    TempDir plain_dir, traced_dir;
    const std::string input = write_input(plain_dir.path() / "input.bin");
    write_input(traced_dir.path() / "input.bin");
    Outcome plain = run_own_files(plain_dir, {mode}, false);
    Outcome traced = run_own_files(traced_dir, {mode}, true);
    REQUIRE(plain.result.code() == 0);
    CHECK(plain.output == input);
    if (std::string(mode) == "daemon")
      CHECK(plain.result.out.find("input fd 3 output fd 4") != std::string::npos);
    CHECK(plain.result.out.find("failed reads 0 writes 0 short 0") != std::string::npos);
    // Same descriptors at start and after the copy, same fds for the files, no failed read or write.
    CHECK(traced.result.out == plain.result.out);
    CHECK(traced.result.code() == 0);
    CHECK(traced.output.size() == input.size());
    CHECK(traced.output == input);
    CHECK(traced.result.err == plain.result.err);
    CHECK(prof::test::snapshots_in(traced_dir.path()).size() == 1);
    CHECK(prof::test::validate(traced_dir.path()) == 0);
  }
}

TEST_CASE("under RLIMIT_NOFILE 5 the program's own two opens succeed with the shim", "[memory]") {
  TempDir plain_dir, traced_dir;
  const std::string input = write_input(plain_dir.path() / "input.bin");
  write_input(traced_dir.path() / "input.bin");
  Outcome plain = run_own_files(plain_dir, {"limit5", "keep"}, false);
  Outcome traced = run_own_files(traced_dir, {"limit5", "keep"}, true);
  REQUIRE(plain.result.code() == 0);
  CHECK(plain.output == input);
  CHECK(traced.result.code() == 0);
  CHECK(traced.result.out == plain.result.out);
  CHECK(traced.result.out.find("input fd 3 output fd 4") != std::string::npos);
  CHECK(traced.output == input);
  // With only fds 3 and 4 free at the end, the writer still leaves whole snapshots (the one before the exec
  // and the final one) with their /proc figures, and says nothing: it reads /proc first and then holds
  // two descriptors at most, the directory and the temporary file (issue 12).
  CHECK(traced.result.err == plain.result.err);
  CHECK(traced.result.err.find("Too many open files") == std::string::npos);
  CHECK(prof::test::snapshots_in(traced_dir.path()).size() == 2);
  CHECK(prof::test::validate(traced_dir.path()) == 0);
}
