#pragma once
// Runs one real program twice, plainly and under `prof run`, each in a fresh copy of the same working
// directory, so the two runs can be compared byte for byte.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "test_process.hpp"

namespace prof::test {

struct RealProgram {
  explicit RealProgram(std::vector<std::string> command) : argv(std::move(command)) {}
  RealProgram& with_input(std::string text) {
    input = std::move(text);
    return *this;
  }
  RealProgram& with_setup(std::string commands) {
    setup = std::move(commands);
    return *this;
  }
  RealProgram& with_env(std::string name, std::string value) {
    env[std::move(name)] = std::move(value);
    return *this;
  }

  std::vector<std::string> argv;
  std::string input;  // on stdin
  std::string setup;  // shell commands run plainly in each working directory first
  std::map<std::string, std::optional<std::string>> env;
};

struct SideBySide {
  std::shared_ptr<TempDir> scratch;  // holds the directories below
  ProcessResult plain;
  ProcessResult traced;
  std::string traced_err_without_prof;  // traced stderr less the lines prof itself wrote
  std::vector<std::string> prof_lines;  // those lines
  std::filesystem::path plain_dir;      // working directories, kept for checks on the files left behind
  std::filesystem::path traced_dir;
  std::filesystem::path snapshot_dir;
  std::vector<std::filesystem::path> snapshots;
};

SideBySide run_side_by_side(const RealProgram& program);

// The executable `name` in PATH (or the absolute path when it exists), empty when there is none.
std::string find_program(const std::string& name);

// The allocations the memory tracer counted, summed over the snapshots in `dir` (memory.summary.allocations).
long total_allocations(const std::filesystem::path& dir);

// 0 when every snapshot in `dir` passes the validator.
int validate_snapshots_in(const std::filesystem::path& dir);

}  // namespace prof::test
