#include "core/output_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <climits>

#include "core/text_buffer.hpp"

namespace prof::core::output_dir {

namespace {
char g_path[PATH_MAX] = {};
}

void resolve(const char* prof_output) noexcept {
  int saved = errno;
  g_path[0] = '\0';
  bool given = prof_output && *prof_output;
  TextBuffer out(g_path, sizeof g_path);
  if (given && prof_output[0] == '/') {
    out.text(prof_output);
  } else {
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) {
      errno = saved;
      return;
    }
    out.text(cwd);
    if (given) {
      if (out.view().back() != '/') out.text("/");
      out.text(prof_output);
    }
  }
  if (out.finish() == 0) g_path[0] = '\0';
  errno = saved;
}

const char* path() noexcept {
  return g_path;
}

int open_or_create() noexcept {
  if (g_path[0] == '\0') {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = ::open(g_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT) return fd;
  if (::mkdir(g_path, 0755) != 0 && errno != EEXIST) return -1;
  return ::open(g_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

}  // namespace prof::core::output_dir
