#pragma once
// Runs an outside tool (pprof, ms_print) on an exported file and captures what it printed.
#include <string>

namespace prof::test {

struct ToolResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `command` goes through /bin/sh; the tests pass only their own paths and fixed options.
ToolResult run_tool(const std::string& command);

}  // namespace prof::test
