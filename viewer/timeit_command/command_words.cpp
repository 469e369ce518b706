#include "timeit_command/command_words.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

ShellMode parse_shell_mode(const std::string& name) {
  if (name == "auto") return ShellMode::automatic;
  if (name == "none") return ShellMode::none;
  if (name == "sh" || name == "/bin/sh") return ShellMode::shell;
  throw UserError("--shell", fmt::format("unknown shell \"{}\" (choose auto, none or sh)", name));
}

bool needs_shell(const std::string& command) {
  static constexpr std::string_view kSyntax = "|&;<>()$`\\\"'*?[]#~=!{}\n";
  for (char c : command)
    if (kSyntax.find(c) != std::string_view::npos) return true;
  return false;
}

std::vector<std::string> split_words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  for (char c : command) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool is_program(const std::string& word) {
  auto executable = [](const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
  };
  if (word.find('/') != std::string::npos) return executable(word);
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    if (executable(dir + "/" + word)) return true;
    start = end + 1;
  }
  return false;
}

Invocation invocation_for(const std::string& command, ShellMode mode) {
  auto words = split_words(command);
  if (words.empty()) throw UserError("prof timeit", "an empty command");
  bool shell = mode == ShellMode::shell ||
               (mode == ShellMode::automatic && (needs_shell(command) || !is_program(words[0])));
  if (mode == ShellMode::none && needs_shell(command))
    throw UserError(fmt::format("'{}'", command),
                    "has shell syntax (quotes, pipes, variables...): run it through a shell with --shell=sh");
  if (shell) return {command, {"/bin/sh", "-c", command}, true};
  return {command, std::move(words), false};
}

}  // namespace prof::viewer
