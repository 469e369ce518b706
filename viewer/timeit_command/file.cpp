// publish_new_file (timeit_command_snapshot.hpp): the atomic-file rules of docs/SNAPSHOT.md, "Files", for a
// name the user chose. libprof's core writer cannot serve here: it only makes PROGRAM.PID.prof.json names.
#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "error.hpp"
#include "timeit_command/snapshot.hpp"

namespace prof::viewer {

namespace {

class DirectoryFd {
 public:
  explicit DirectoryFd(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
  ~DirectoryFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirectoryFd(const DirectoryFd&) = delete;
  DirectoryFd& operator=(const DirectoryFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string error_text(int error) {
  return std::strerror(error);
}

// 0, or the errno of the failure; EEXIST when the name is taken.
int publish_as(int dir, const std::string& temp, const std::string& name) {
  if (::renameat2(dir, temp.c_str(), dir, name.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  // File systems without RENAME_NOREPLACE: link() refuses an existing name too, and never follows it.
  if (::linkat(dir, temp.c_str(), dir, name.c_str(), 0) != 0) return errno;
  ::unlinkat(dir, temp.c_str(), 0);
  return 0;
}

std::string numbered(const std::string& name, int attempt) {
  if (attempt == 1) return name;
  constexpr std::string_view suffix = ".prof.json";
  auto stem = name.ends_with(suffix) ? name.substr(0, name.size() - suffix.size()) : name;
  return fmt::format("{}-{}{}", stem, attempt, name.ends_with(suffix) ? suffix : "");
}

bool write_all(int fd, const std::string& contents) {
  std::size_t done = 0;
  while (done < contents.size()) {
    auto n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string publish_new_file(const std::string& path, const std::string& contents, bool number_if_taken) {
  std::filesystem::path target(path);
  auto directory = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  auto name = target.filename().string();
  if (name.empty() || name == "." || name == "..") throw UserError(path, "not a file name");
  DirectoryFd dir(directory);
  if (dir.get() < 0) throw UserError(directory, fmt::format("cannot open directory: {}", error_text(errno)));
  std::random_device random;
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = fmt::format(".prof.timeit.{}.{:06x}.tmp", getpid(), random() & 0xffffff);
    fd = ::openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) throw UserError(directory, fmt::format("cannot create a file: {}", error_text(errno)));
  bool written = write_all(fd, contents);
  int saved = errno;
  if (::close(fd) != 0 && written) {
    written = false;
    saved = errno;
  }
  if (!written) {
    ::unlinkat(dir.get(), temp.c_str(), 0);
    throw UserError(path, fmt::format("cannot write: {}", error_text(saved)));
  }
  int error = EEXIST;
  std::string final_name;
  for (int attempt = 1; error == EEXIST && attempt <= (number_if_taken ? 1000 : 1); ++attempt) {
    final_name = numbered(name, attempt);
    error = publish_as(dir.get(), temp, final_name);
  }
  if (error != 0) {
    ::unlinkat(dir.get(), temp.c_str(), 0);
    if (error == EEXIST) throw UserError(path, "already exists (prof timeit never replaces a file)");
    throw UserError(path, fmt::format("cannot publish: {}", error_text(error)));
  }
  return (std::filesystem::path(directory) / final_name).lexically_normal().string();
}

}  // namespace prof::viewer
