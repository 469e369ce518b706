// Issue 11, item 1, in-process: once libunwind's validation is redirected, unwinding opens no descriptor,
// still walks the whole stack, and an address is judged readable exactly when a read would not fault.
#define UNW_LOCAL_ONLY
#include <dirent.h>
#include <libunwind.h>
#include <sys/mman.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <string>

#include "memory/unwind_validation.hpp"

namespace validation = prof::preload::memory::unwind_validation;

namespace {

std::string open_fds() {
  std::string list;
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return "unavailable";
  int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.' || std::stoi(entry->d_name) == own) continue;
    list += entry->d_name;
    list += ' ';
  }
  closedir(dir);
  return list;
}

__attribute__((noinline)) int unwind_from(int levels) {
  if (levels > 0) {
    int depth = unwind_from(levels - 1);
    asm volatile("" ::: "memory");
    return depth;
  }
  void* frames[64];
  return unw_backtrace(frames, 64);
}

}  // namespace

TEST_CASE("libunwind's validation opens no descriptor and the walk stays whole", "[memory]") {
  const std::string before = open_fds();
  REQUIRE(validation::install());
  // Deeper than libunwind's four cached pages of validated addresses: every step is validated.
  const int depth = unwind_from(20);
  CHECK(depth >= 22);
  CHECK(unwind_from(3) == depth - 17);
  CHECK(open_fds() == before);
}

TEST_CASE("an address is readable exactly when a read would not fault", "[memory]") {
  int local = 1;
  CHECK(validation::readable(&local));
  CHECK(validation::readable(reinterpret_cast<const void*>(&open_fds)));
  CHECK_FALSE(validation::readable(nullptr));
  const long page = sysconf(_SC_PAGESIZE);
  void* none =
      mmap(nullptr, static_cast<std::size_t>(page) * 2, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(none != MAP_FAILED);
  CHECK_FALSE(validation::readable(none));
  CHECK_FALSE(validation::readable(static_cast<char*>(none) + page - 1));
  REQUIRE(mprotect(none, static_cast<std::size_t>(page), PROT_READ) == 0);
  CHECK(validation::readable(none));
  CHECK(validation::readable(static_cast<char*>(none) + page - 1));
  CHECK_FALSE(validation::readable(static_cast<char*>(none) + page));
  munmap(none, static_cast<std::size_t>(page) * 2);
  CHECK_FALSE(validation::readable(none));
}
