// One block grown by realloc a mebibyte at a time to 64 MiB, each new part written as it comes (a growing
// array, an interpreter's list). Prints the page faults the growth took: glibc's realloc moves a mapped
// block's pages (mremap), so a run that copies the block at some step pays a fault per page of it again.
#include <sys/resource.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

int main() {
  constexpr std::size_t kStep = std::size_t{1} << 20;
  const long before = minor_faults();
  char* block = nullptr;
  for (std::size_t size = kStep; size <= 64 * kStep; size += kStep) {
    block = static_cast<char*>(std::realloc(block, size));
    if (!block) return 1;
    std::memset(block + size - kStep, static_cast<int>(size >> 20), kStep);
  }
  const bool kept = block[0] == 1 && block[64 * kStep - 1] == 64;
  const long faults = minor_faults() - before;
  std::free(block);
  std::printf("%s %ld\n", kept ? "kept" : "lost", faults);
  return kept ? 0 : 1;
}
