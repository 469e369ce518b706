#pragma once
// How `prof timeit` starts a command. A shell adds its own start-up to every run (a millisecond or more),
// which skews the ratio of short commands, so a command that needs no shell is run directly, as `hyperfine
// -N` does: split at blanks and exec'd from PATH. Through a shell, its start-up is measured apart and
// subtracted.
#include <string>
#include <vector>

namespace prof::viewer {

enum class ShellMode {
  automatic,  // directly when the command has no shell syntax and names a program, else through /bin/sh
  none,       // always directly (-N, --shell=none); shell syntax is then an error
  shell,      // always through the shell
};

ShellMode parse_shell_mode(const std::string& name);  // "auto", "none" or a shell path; throws UserError

// Quotes, variables, globs, redirections, pipes, lists, subshells, comments, ~, assignments: anything a plain
// blank-separated exec would read differently than sh.
bool needs_shell(const std::string& command);

// The command's words split at blanks (spaces and tabs); empty when it has none.
std::vector<std::string> split_words(const std::string& command);

// A file that exec would run for `word`: a path to an executable, or an executable found in PATH. Builtins
// that exist only in the shell (exit, cd, export...) are not.
bool is_program(const std::string& word);

// What is exec'd for a command: its own words, or /bin/sh -c COMMAND.
struct Invocation {
  std::string command;  // as the user wrote it
  std::vector<std::string> argv;
  bool through_shell = false;
};

// Throws UserError for an empty command, or one with shell syntax under ShellMode::none.
Invocation invocation_for(const std::string& command, ShellMode mode);

}  // namespace prof::viewer
