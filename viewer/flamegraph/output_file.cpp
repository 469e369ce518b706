#include "flamegraph/output_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

namespace {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw UserError("-o", fmt::format("{}: {}", path, what));
}

}  // namespace

void write_output_file(const std::string& path, std::string_view contents, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!force && fs::symlink_status(path, ec).type() != fs::file_type::not_found)
    fail(path, "exists (--force replaces it)");
  auto parent = fs::path(path).parent_path();
  auto temp = (parent.empty() ? fs::path(".") : parent) /
              fmt::format(".{}.{}.tmp", fs::path(path).filename().string(), ::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, std::strerror(errno));
  bool ok = write_all(fd, contents);
  int saved = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    fail(path, std::strerror(saved));
  }
  // Without --force, link() refuses a name that appeared meanwhile; with it, rename() replaces atomically.
  int rc = force ? ::rename(temp.c_str(), path.c_str()) : ::link(temp.c_str(), path.c_str());
  saved = errno;
  if (rc != 0 || !force) ::unlink(temp.c_str());
  if (rc != 0) fail(path, saved == EEXIST ? "exists (--force replaces it)" : std::strerror(saved));
}

}  // namespace prof::viewer
