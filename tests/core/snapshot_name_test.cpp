#include "core/snapshot_name.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace prof::core;

namespace {
std::string sanitized(const char* argv0) {
  char out[kMaxProgramName + 1];
  sanitize_program_name(argv0, out);
  return out;
}
std::string stem(const char* program, long pid, long rank, int sequence) {
  char out[256];
  REQUIRE(format_snapshot_stem(out, sizeof out, program, pid, rank, sequence) > 0);
  return out;
}
}  // namespace

TEST_CASE("program names are base names limited to [A-Za-z0-9._+-]", "[snapshot_name]") {
  CHECK(sanitized("/usr/bin/g++-12") == "g++-12");
  CHECK(sanitized("./my solver$v2") == "my_solver_v2");
  CHECK(sanitized("caf\xC3\xA9") == "caf__");
  CHECK(sanitized("dir/") == "unknown");
  CHECK(sanitized("") == "unknown");
  CHECK(sanitized(nullptr) == "unknown");
  std::string long_name(100, 'a');
  CHECK(sanitized(long_name.c_str()) == std::string(64, 'a'));
}

TEST_CASE("snapshot stems carry rank and sequence", "[snapshot_name]") {
  CHECK(stem("solver", 4242, -1, 0) == "solver.4242");
  CHECK(stem("solver", 4242, 3, 0) == "solver.r0003.4242");
  CHECK(stem("solver", 4242, 12345, 0) == "solver.r12345.4242");
  CHECK(stem("solver", 4242, -1, 2) == "solver.4242.2");
  CHECK(stem("solver", 4242, 0, 1) == "solver.r0000.4242.1");
}

TEST_CASE("snapshot file names add -K before the suffix on later attempts", "[snapshot_name]") {
  char out[64];
  REQUIRE(format_snapshot_file_name(out, sizeof out, "solver.42", 1) > 0);
  CHECK(std::string(out) == "solver.42.prof.json");
  REQUIRE(format_snapshot_file_name(out, sizeof out, "solver.42", 3) > 0);
  CHECK(std::string(out) == "solver.42-3.prof.json");
  char tiny[12];
  CHECK(format_snapshot_file_name(tiny, sizeof tiny, "solver.42", 1) == 0);
}
