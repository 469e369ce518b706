#pragma once
// Runs the built `prof` binary and captures what it did, for end-to-end tests.
#include <string>
#include <vector>

namespace prof::test {

struct ProfResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> err_lines() const;
};

// Arguments are passed as they are (no shell); `env` entries ("NAME=value") are added to the environment.
// The first table of a csv output (tables are separated by an empty line): a merged report of several
// processes adds its "across" tables after the main one.
inline std::string first_csv_table(const std::string& csv) {
  auto end = csv.find("\n\n");
  return end == std::string::npos ? csv : csv.substr(0, end + 1);
}

ProfResult run_prof(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

}  // namespace prof::test
