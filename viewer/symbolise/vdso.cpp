#include "symbolise/vdso.hpp"

#include <sys/auxv.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace prof::viewer {

namespace {

// The [vdso] mapping's range from /proc/self/maps: the whole image (its section headers included, which
// the program headers alone do not cover).
bool vdso_range(std::uintptr_t& low, std::uintptr_t& high) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.size() < 6 || line.compare(line.size() - 6, 6, "[vdso]") != 0) continue;
    char* end = nullptr;
    low = std::strtoull(line.c_str(), &end, 16);
    if (!end || *end != '-') return false;
    high = std::strtoull(end + 1, nullptr, 16);
    return high > low;
  }
  return false;
}

}  // namespace

bool is_vdso_path(const std::string& path) {
  return path.starts_with("linux-vdso") || path.starts_with("linux-gate") || path == "[vdso]";
}

OwnVdso::OwnVdso() {
  std::uintptr_t low = 0, high = 0;
  if (getauxval(AT_SYSINFO_EHDR) == 0 || !vdso_range(low, high)) {
    error_ = "this process has no vDSO to compare with";
    return;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string name = std::string(tmp && *tmp ? tmp : "/tmp") + "/prof-vdso-XXXXXX";
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error_ = std::string("cannot write a copy of this process's vDSO: ") + std::strerror(errno);
    return;
  }
  const char* image = reinterpret_cast<const char*>(low);
  std::size_t size = high - low, written = 0;
  while (written < size) {
    ssize_t n = ::write(fd, image + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (written != size) {
    ::unlink(name.c_str());
    error_ = "cannot write a copy of this process's vDSO";
    return;
  }
  path_ = name;
}

OwnVdso::~OwnVdso() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace prof::viewer
