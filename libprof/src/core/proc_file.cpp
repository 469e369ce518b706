#include "core/proc_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>

namespace prof::core {

long read_file_into(const char* path, char* buffer, std::size_t capacity) noexcept {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::size_t used = 0;
  while (used < capacity) {
    ssize_t n = ::read(fd, buffer + used, capacity - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return static_cast<long>(used);
}

}  // namespace prof::core
