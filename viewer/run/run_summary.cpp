#include "run/run_summary.hpp"

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

}  // namespace

std::string summary_line(std::size_t new_snapshots, const std::string& shown_dir) {
  if (new_snapshots == 0) {
    return fmt::format(
        "prof: no snapshot written in {}: static or setuid program, or the program was killed by "
        "SIGKILL",
        shown_dir);
  }
  const std::string word = shell_word(shown_dir);
  const bool one = new_snapshots == 1;
  return fmt::format("prof: {} snapshot{} in {} (read {}: prof report {})", new_snapshots, one ? "" : "s",
                     word, one ? "it" : "them", word);
}

}  // namespace prof::viewer::run
