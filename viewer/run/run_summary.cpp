#include "run/run_summary.hpp"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <fmt/format.h>

namespace prof::viewer::run {

namespace {

// The directory as a shell word, so the suggested command can be pasted as is.
std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789._+-/=:,@%") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text)
    quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Signals the kernel sends for a fault of the program itself, or that it raises on itself (abort).
bool is_crash(int signal) {
  return signal == SIGSEGV || signal == SIGBUS || signal == SIGFPE || signal == SIGILL || signal == SIGABRT ||
         signal == SIGTRAP || signal == SIGSYS;
}

std::string signal_name(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation != nullptr ? fmt::format("SIG{}", abbreviation) : fmt::format("signal {}", signal);
}

// Why no process of the run left a snapshot, as far as the launched program's wait status tells.
std::string missing_snapshot_reason(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    return fmt::format("the program {} {} ({}) before the shim could write one",
                       is_crash(signal) ? "crashed with" : "was killed by", signal_name(signal),
                       strsignal(signal));
  }
  return "the program did not load the shim (a static or setuid program, or one that removed LD_PRELOAD)";
}

}  // namespace

std::string summary_line(std::size_t new_snapshots, const std::string& shown_dir, int wait_status) {
  if (new_snapshots == 0)
    return fmt::format("prof: no snapshot written in {}: {}", shown_dir,
                       missing_snapshot_reason(wait_status));
  const std::string word = shell_word(shown_dir);
  const bool one = new_snapshots == 1;
  // A crash is news even when the shim caught it: the user may only see this line.
  const bool crashed = WIFSIGNALED(wait_status) && is_crash(WTERMSIG(wait_status));
  const std::string crash =
      crashed ? fmt::format("the program crashed with {} ({}); ", signal_name(WTERMSIG(wait_status)),
                            strsignal(WTERMSIG(wait_status)))
              : "";
  return fmt::format("prof: {}{} snapshot{} in {} (read {}: prof report {})", crash, new_snapshots,
                     one ? "" : "s", word, one ? "it" : "them", word);
}

}  // namespace prof::viewer::run
