#pragma once
// Publishes a file so that readers only ever see it complete: write to a hidden temporary in the target
// directory, then rename it to a name that did not exist. Never follows a symlink, never replaces a file, and
// never allocates (it runs at exit and in signal handlers).

#include <cstddef>

namespace prof::core {

class AtomicFile {
 public:
  static constexpr std::size_t kMaxName = 256;
  static constexpr int kMaxAttempts = 1000;

  AtomicFile() = default;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Removes the temporary if neither commit() nor discard() ran.
  ~AtomicFile() { discard(); }

  // Creates ".PROGRAM.PID.XXXXXX.tmp" in `dir_fd` (which must stay open until commit/discard). Returns the
  // file descriptor to write to, or -1 with errno set.
  int create(int dir_fd, const char* program, long pid) noexcept;

  // Closes the temporary and renames it to STEM.prof.json, or STEM-2.prof.json, STEM-3... when taken. Returns
  // true on success; on failure removes the temporary and leaves errno set.
  bool commit(const char* stem) noexcept;

  // Closes and removes the temporary.
  void discard() noexcept;

  int fd() const noexcept { return fd_; }
  const char* temp_name() const noexcept { return temp_name_; }
  // The name the file got (valid after a successful commit).
  const char* final_name() const noexcept { return final_name_; }

 private:
  // Moves temp to `name` without replacing anything: 0, or the errno of the failure.
  int publish_as(const char* name) noexcept;

  int dir_fd_ = -1;
  int fd_ = -1;
  char temp_name_[kMaxName] = {};
  char final_name_[kMaxName] = {};
};

}  // namespace prof::core
