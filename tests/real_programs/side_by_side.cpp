#include "side_by_side.hpp"

#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace prof::test {

namespace fs = std::filesystem;

namespace {

const std::string kProf = PROF_TEST_BIN_DIR "/prof";

ProcessResult run_in(const fs::path& dir, const std::vector<std::string>& argv, const RealProgram& program) {
  ProcessOptions options;
  options.cwd = dir;
  options.env = program.env;
  // A prof run of the test runner itself must not leak into the plain run.
  options.env.emplace("LD_PRELOAD", std::nullopt);
  options.env.emplace("PROF_OUTPUT", std::nullopt);
  return run_process(argv, program.input, options);
}

void prepare(const fs::path& dir, const RealProgram& program) {
  fs::create_directories(dir);
  if (program.setup.empty()) return;
  const ProcessResult setup = run_in(dir, {"/bin/sh", "-ec", program.setup}, program);
  if (setup.exit_code != 0) throw std::runtime_error("setup failed: " + program.setup + "\n" + setup.err);
}

std::vector<fs::path> snapshot_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().ends_with(".prof.json")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

SideBySide run_side_by_side(const RealProgram& program) {
  SideBySide result;
  result.scratch = std::make_shared<TempDir>();
  const fs::path& scratch = result.scratch->path();
  result.plain_dir = scratch / "plain";
  result.traced_dir = scratch / "traced";
  result.snapshot_dir = scratch / "snapshots";
  prepare(result.plain_dir, program);
  prepare(result.traced_dir, program);

  result.plain = run_in(result.plain_dir, program.argv, program);
  std::vector<std::string> under_prof = {kProf, "run", "-o", result.snapshot_dir.string(), "--"};
  under_prof.insert(under_prof.end(), program.argv.begin(), program.argv.end());
  result.traced = run_in(result.traced_dir, under_prof, program);

  std::istringstream lines(result.traced.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("prof: ") || line.starts_with("libprof"))
      result.prof_lines.push_back(line);
    else
      result.traced_err_without_prof += line + "\n";
  }
  if (!result.traced.err.empty() && !result.traced.err.ends_with('\n') &&
      !result.traced_err_without_prof.empty())
    result.traced_err_without_prof.pop_back();
  result.snapshots = snapshot_files(result.snapshot_dir);
  return result;
}

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

long total_allocations(const fs::path& dir) {
  const char* script =
      "import json, pathlib, sys\n"
      "total = 0\n"
      "for f in pathlib.Path(sys.argv[1]).glob('*.prof.json'):\n"
      "    total += json.loads(f.read_text()).get('memory', {}).get('summary', {}).get('allocations', 0)\n"
      "print(total)\n";
  const ProcessResult result = run_process({PROF_TEST_PYTHON, "-c", script, dir.string()});
  return result.exit_code == 0 ? std::stol(result.out) : -1;
}

int validate_snapshots_in(const fs::path& dir) {
  return run_process({PROF_TEST_PYTHON, PROF_TEST_VALIDATOR, dir.string()}).exit_code;
}

}  // namespace prof::test
