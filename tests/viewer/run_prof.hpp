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
ProfResult run_prof(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

}  // namespace prof::test
