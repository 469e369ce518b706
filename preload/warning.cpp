#include "warning.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

#include "core/text_buffer.hpp"

namespace prof::preload::warning {

namespace {

bool g_known = false;  // fd 2 was open at start
dev_t g_device = 0;
ino_t g_inode = 0;

constexpr std::size_t kMaxValueShown = 64;

}  // namespace

void remember_stderr() noexcept {
  int saved = errno;
  struct stat status;
  g_known = ::fstat(STDERR_FILENO, &status) == 0;
  if (g_known) {
    g_device = status.st_dev;
    g_inode = status.st_ino;
  }
  errno = saved;
}

void write_line(const char* line, std::size_t length) noexcept {
  int saved = errno;
  struct stat status;
  if (g_known && ::fstat(STDERR_FILENO, &status) == 0 && status.st_dev == g_device &&
      status.st_ino == g_inode) {
    ssize_t ignored = ::write(STDERR_FILENO, line, length);
    (void)ignored;
  }
  errno = saved;
}

void bad_setting(const char* name, std::string_view value, const char* expected, const char* used) noexcept {
  char line[512];
  core::TextBuffer text(line, sizeof line);
  text.text("prof: warning: ").text(name).text("=").text(value.substr(0, kMaxValueShown));
  if (value.size() > kMaxValueShown) text.text("...");
  text.text(" is not ").text(expected).text("; using ").text(used).text("\n");
  if (std::size_t n = text.finish()) write_line(line, n);
}

}  // namespace prof::preload::warning
