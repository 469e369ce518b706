#pragma once
// Helpers shared by the core tests: temporary directories, running programs with a chosen environment, and
// reading and validating snapshots.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace prof::test {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "prof-core-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Snapshot files (*.prof.json) in a directory, sorted.
inline std::vector<fs::path> snapshots_in(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".prof.json") found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

// All entries of a directory (temporaries included), for checks that nothing else was left behind.
inline std::vector<std::string> entries_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Exit status of the schema validator on a file or directory (0: valid).
inline int validate(const fs::path& file_or_dir) {
  std::string command =
      std::string(PROF_TEST_PYTHON) + " " + PROF_TEST_VALIDATOR + " '" + file_or_dir.string() + "'";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct RunResult {
  int wait_status = 0;
  std::string out;
  std::string err;
  bool exited() const { return WIFEXITED(wait_status); }
  int code() const { return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1; }
  int signal() const { return WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0; }
};

// Runs argv with this process's environment plus `extra_env` ("NAME=value", later ones win), stdout and
// stderr captured through files in `scratch`.
inline RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                     const fs::path& scratch) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& extra : extra_env)
      overridden |= extra.substr(0, extra.find('=')) == name;
    // The test runner's own preloads (sanitizers) must not reach the programs under test.
    if (!overridden && name != "LD_PRELOAD") env_strings.push_back(entry);
  }
  for (const auto& extra : extra_env)
    env_strings.push_back(extra);
  std::vector<char*> envp, args;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy)
    args.push_back(s.data());
  args.push_back(nullptr);

  fs::path out_file = scratch / "stdout.txt", err_file = scratch / "stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  RunResult result;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
  while (waitpid(pid, &result.wait_status, 0) < 0) {
  }
  result.out = read_text(out_file);
  result.err = read_text(err_file);
  fs::remove(out_file);
  fs::remove(err_file);
  return result;
}

}  // namespace prof::test
