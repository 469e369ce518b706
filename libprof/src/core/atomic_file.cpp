#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>

#include "core/snapshot_name.hpp"
#include "core/text_buffer.hpp"

namespace prof::core {

namespace {

constexpr char kNameAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Not for security (O_EXCL handles collisions): spreads names so concurrent writers rarely retry.
std::uint64_t next_random() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  std::uint64_t x = static_cast<std::uint64_t>(ts.tv_nsec) ^ (static_cast<std::uint64_t>(ts.tv_sec) << 30) ^
                    (static_cast<std::uint64_t>(getpid()) << 20) ^
                    (counter.fetch_add(1, std::memory_order_relaxed) * 0x9E3779B97F4A7C15ULL);
  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

int close_keeping_errno(int fd) noexcept {
  int saved = errno;
  int rc = ::close(fd);
  errno = saved;
  return rc;
}

}  // namespace

int AtomicFile::create(int dir_fd, const char* program, long pid) noexcept {
  discard();
  dir_fd_ = dir_fd;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    char random[7];
    std::uint64_t r = next_random();
    for (int i = 0; i < 6; ++i, r /= sizeof kNameAlphabet - 1)
      random[i] = kNameAlphabet[r % (sizeof kNameAlphabet - 1)];
    random[6] = '\0';
    TextBuffer name(temp_name_, sizeof temp_name_);
    name.text(".").text(program).text(".").number(pid).text(".").text(random).text(".tmp");
    if (name.finish() == 0) {
      temp_name_[0] = '\0';
      errno = ENAMETOOLONG;
      return -1;
    }
    fd_ = ::openat(dir_fd, temp_name_, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0) return fd_;
    if (errno != EEXIST) break;
  }
  temp_name_[0] = '\0';
  return -1;
}

int AtomicFile::publish_as(const char* name) noexcept {
  if (::renameat2(dir_fd_, temp_name_, dir_fd_, name, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  // File systems without RENAME_NOREPLACE: link() refuses an existing name, too, and never follows it.
  if (::linkat(dir_fd_, temp_name_, dir_fd_, name, 0) != 0) return errno;
  ::unlinkat(dir_fd_, temp_name_, 0);
  return 0;
}

bool AtomicFile::commit(const char* stem) noexcept {
  if (fd_ < 0 || temp_name_[0] == '\0') {
    errno = EBADF;
    return false;
  }
  if (::close(fd_) != 0 && errno != EINTR) {
    fd_ = -1;
    int saved = errno;
    discard();
    errno = saved;
    return false;
  }
  fd_ = -1;
  int error = EEXIST;
  for (int attempt = 1; attempt <= kMaxAttempts && error == EEXIST; ++attempt) {
    if (format_snapshot_file_name(final_name_, sizeof final_name_, stem, attempt) == 0) {
      error = ENAMETOOLONG;
      break;
    }
    error = publish_as(final_name_);
  }
  if (error == 0) {
    temp_name_[0] = '\0';
    return true;
  }
  final_name_[0] = '\0';
  discard();
  errno = error;
  return false;
}

void AtomicFile::discard() noexcept {
  int saved = errno;
  if (fd_ >= 0) close_keeping_errno(fd_);
  fd_ = -1;
  if (temp_name_[0] != '\0' && dir_fd_ >= 0) ::unlinkat(dir_fd_, temp_name_, 0);
  temp_name_[0] = '\0';
  errno = saved;
}

}  // namespace prof::core
