#include "large_pages.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace prof::viewer {

namespace {

constexpr const char* kTunable = "glibc.malloc.hugetlb";
// Set only between the two starts: the user's GLIBC_TUNABLES, or kUnset when there was none.
constexpr const char* kSavedVariable = "PROF_SAVED_GLIBC_TUNABLES";
constexpr const char* kUnset = "\x01";
bool g_restarted = false;

bool reads_snapshots(const char* command) noexcept {
  for (const char* name : {"report", "diff", "export", "flamegraph"})
    if (std::strcmp(command, name) == 0) return true;
  return false;
}

// "[never]" in the kernel's setting: huge pages would not come, the second start would be for nothing.
bool huge_pages_offered() noexcept {
  int fd = ::open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[128] = {};
  ssize_t got = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  return got > 0 && std::strstr(text, "[never]") == nullptr;
}

void restore(const std::string& saved) noexcept {
  if (saved == kUnset)
    ::unsetenv("GLIBC_TUNABLES");
  else
    ::setenv("GLIBC_TUNABLES", saved.c_str(), 1);
  ::unsetenv(kSavedVariable);
}

}  // namespace

void use_large_pages(int argc, char** argv) noexcept {
  if (const char* saved = ::getenv(kSavedVariable)) {
    g_restarted = true;
    try {
      restore(saved);
    } catch (...) {
    }
    return;
  }
  if (argc < 2 || !reads_snapshots(argv[1])) return;
  try {
    restart_with_large_pages(std::vector<std::string>(argv, argv + argc));
  } catch (...) {
  }
}

void restart_with_large_pages(const std::vector<std::string>& arguments) noexcept {
  if (g_restarted || arguments.empty()) return;
  const char* off = ::getenv("PROF_LARGE_PAGES");
  if (off && std::strcmp(off, "0") == 0) return;
  const char* tunables = ::getenv("GLIBC_TUNABLES");
  if (tunables && std::strstr(tunables, kTunable)) return;
  if (!huge_pages_offered()) return;
  try {
    const std::string saved = tunables ? tunables : kUnset;
    std::string wanted = tunables && *tunables ? saved + ":" : std::string();
    wanted += kTunable;
    wanted += "=1";
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
      argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    if (::setenv(kSavedVariable, saved.c_str(), 1) != 0) return;
    if (::setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) {
      ::unsetenv(kSavedVariable);
      return;
    }
    ::fflush(nullptr);
    ::execv("/proc/self/exe", argv.data());
    restore(saved);  // not executed: carry on with small pages
  } catch (...) {
  }
}

}  // namespace prof::viewer
