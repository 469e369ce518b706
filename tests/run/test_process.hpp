#pragma once
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prof::test {

struct ProcessResult {
  int exit_code = -1;  // 128+N when signal N killed it, like a shell
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::optional<std::filesystem::path> cwd;
  std::map<std::string, std::optional<std::string>> env;  // set a variable, or unset it with std::nullopt
};

// A child process with pipes on stdin, stdout and stderr, started with default signal dispositions and an
// empty signal mask whatever the test runner inherited, so signal tests see what a shell would give.
class Process {
 public:
  explicit Process(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void write_stdin(std::string_view data);
  void close_stdin();
  // Blocks until stdout holds `marker` (or ends); returns all of stdout read so far.
  std::string read_stdout_until(std::string_view marker);
  // Closes stdin, reads both outputs to their end and reaps the process.
  ProcessResult finish();

 private:
  bool pump();  // one poll round; false once both outputs ended

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  ProcessResult result_;
};

// Runs to the end with `input` on stdin.
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {},
                          const ProcessOptions& options = {});

}  // namespace prof::test
