#include "run/untraceable.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace prof::viewer::run {

namespace {

// The file execvp would run: `program` itself when it has a slash, else the first executable in PATH.
std::string resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/bin:/usr/bin";
  while (true) {
    std::size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) return "";
    dirs.remove_prefix(colon + 1);
  }
}

class File {
 public:
  explicit File(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  bool read_at(void* out, std::size_t size, off_t offset) const {
    return fd_ >= 0 && ::pread(fd_, out, size, offset) == static_cast<ssize_t>(size);
  }

 private:
  int fd_;
};

// A 64-bit ELF executable of this machine's byte order without a PT_INTERP program header.
bool is_static_elf(const std::string& path) {
  File file(path);
  Elf64_Ehdr header;
  if (!file.read_at(&header, sizeof header, 0)) return false;
  if (std::string_view(reinterpret_cast<const char*>(header.e_ident), SELFMAG) != ELFMAG) return false;
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_phentsize != sizeof(Elf64_Phdr)) return false;
  if (header.e_type != ET_EXEC && header.e_type != ET_DYN) return false;
  bool has_dynamic = false;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    if (!file.read_at(&segment, sizeof segment, static_cast<off_t>(header.e_phoff + i * sizeof segment)))
      return false;
    if (segment.p_type == PT_INTERP) return false;
    has_dynamic |= segment.p_type == PT_DYNAMIC;
  }
  // A shared library without PT_INTERP is not a program; static-pie has PT_DYNAMIC but is still static.
  return header.e_type == ET_EXEC || has_dynamic || header.e_entry != 0;
}

}  // namespace

bool has_file_capabilities(const std::string& path) {
  // The kernel runs such a binary in secure-execution mode (AT_SECURE), like a setuid one: the loader then
  // ignores LD_PRELOAD paths.
  return ::getxattr(path.c_str(), "security.capability", nullptr, 0) > 0;
}

std::string untraceable_reason(const std::string& program) {
  const std::string path = resolve(program);
  struct stat info;
  if (path.empty() || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return "";
  if (info.st_mode & S_ISUID) return "setuid";
  if (info.st_mode & S_ISGID) return "setgid";
  if (has_file_capabilities(path)) return "a binary with file capabilities";
  if (is_static_elf(path)) return "a static binary";
  return "";
}

}  // namespace prof::viewer::run
