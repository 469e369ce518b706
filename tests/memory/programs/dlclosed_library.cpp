// The library the dlclosed program opens, allocates from and closes: its allocation site lives in a module
// that is gone when the snapshot is written.
#include <cstdlib>

extern "C" __attribute__((noinline)) void* library_allocate(std::size_t size) {
  return std::malloc(size);
}
