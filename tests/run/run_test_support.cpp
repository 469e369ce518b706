#include "run_test_support.hpp"

#include <algorithm>

namespace prof::test {

std::vector<std::filesystem::path> snapshot_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().ends_with(".prof.json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int validate_snapshots(const std::filesystem::path& path) {
  const ProcessResult result = run_process({PROF_TEST_PYTHON, PROF_TEST_VALIDATOR, path.string()});
  return result.exit_code;
}

bool snapshots_under_are_valid(const std::filesystem::path& dir) {
  std::vector<std::string> command = {PROF_TEST_PYTHON, PROF_TEST_VALIDATOR};
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().ends_with(".prof.json")) command.push_back(entry.path().string());
  }
  return command.size() == 2 || run_process(command).exit_code == 0;
}

std::string exit_codes_of_snapshots(const std::filesystem::path& dir) {
  const char* script =
      "import json, pathlib, sys\n"
      "for f in sorted(pathlib.Path(sys.argv[1]).glob('*.prof.json')):\n"
      "    print(json.loads(f.read_text())['meta']['exit'].get('code'))\n";
  return run_process({PROF_TEST_PYTHON, "-c", script, dir.string()}).out;
}

ProcessOptions with_empty_shim(ProcessOptions options) {
  options.env["PROF_PRELOAD"] = PROF_RUN_EMPTY_PRELOAD;
  return options;
}

}  // namespace prof::test
