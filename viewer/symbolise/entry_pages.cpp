#include "symbolise/entry_pages.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

namespace prof::viewer {

namespace {

bool read_exactly(int fd, char* out, std::size_t bytes, std::uint64_t at) {
  std::size_t done = 0;
  while (done < bytes) {
    ssize_t got = ::pread(fd, out + done, bytes - done, static_cast<off_t>(at + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

EntryPages EntryPages::open(const std::string& path, std::uint64_t max_bytes, long touch_after) {
  EntryPages entry;
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return entry;
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_uid != ::geteuid() ||
      status.st_size <= 0 || static_cast<std::uint64_t>(status.st_size) > max_bytes) {
    ::close(fd);
    return entry;
  }
  if (status.st_mtim.tv_sec < ::time(nullptr) - touch_after) ::futimens(fd, nullptr);
  entry.fd_ = fd;
  entry.size_ = static_cast<std::uint64_t>(status.st_size);
  entry.pages_.resize((entry.size_ + kPageBytes - 1) / kPageBytes);
  return entry;
}

EntryPages::EntryPages(EntryPages&& other) noexcept {
  *this = std::move(other);
}

EntryPages& EntryPages::operator=(EntryPages&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = std::exchange(other.size_, 0);
    pages_ = std::move(other.pages_);
    whole_ = std::move(other.whole_);
    failed_ = std::exchange(other.failed_, false);
  }
  return *this;
}

EntryPages::~EntryPages() {
  if (fd_ >= 0) ::close(fd_);
}

const char* EntryPages::page(std::uint64_t index) const {
  if (failed_) return nullptr;
  if (whole_) return whole_.get() + index * kPageBytes;
  if (index >= pages_.size()) return nullptr;
  if (!pages_[index]) {
    const std::uint64_t at = index * kPageBytes;
    const std::size_t bytes = static_cast<std::size_t>(std::min<std::uint64_t>(kPageBytes, size_ - at));
    auto read = std::make_unique_for_overwrite<char[]>(bytes);
    if (!read_exactly(fd_, read.get(), bytes, at)) {
      failed_ = true;
      return nullptr;
    }
    pages_[index] = std::move(read);
  }
  return pages_[index].get();
}

bool EntryPages::copy(std::uint64_t at, void* out, std::size_t bytes) const {
  if (at > size_ || size_ - at < bytes) return false;
  auto* to = static_cast<char*>(out);
  while (bytes > 0) {
    const char* from = page(at / kPageBytes);
    if (!from) return false;
    const std::size_t within = at % kPageBytes;
    const std::size_t part = std::min(bytes, kPageBytes - within);
    std::memcpy(to, from + within, part);
    to += part;
    at += part;
    bytes -= part;
  }
  return true;
}

std::optional<std::string> EntryPages::text(std::uint64_t at, std::size_t bytes) const {
  std::string out(bytes, '\0');
  if (!copy(at, out.data(), bytes)) return std::nullopt;
  return out;
}

void EntryPages::read_all() const {
  if (whole_ || failed_ || size_ == 0) return;
  auto whole = std::make_unique_for_overwrite<char[]>(size_);
  if (!read_exactly(fd_, whole.get(), size_, 0)) {
    failed_ = true;
    return;
  }
  whole_ = std::move(whole);
  pages_.clear();
}

}  // namespace prof::viewer
