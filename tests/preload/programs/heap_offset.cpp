// Prints where its first block lands in the heap: the offset of malloc(24) from the start of the [heap]
// mapping. Under the shim with the tracer off the figure must be the plain run's: a shim that allocated on
// the program's heap at load would move every block the program makes (and with them its cache behaviour).
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main() {
  void* block = std::malloc(24);
  // /proc/self/maps read with plain syscalls into the stack: stdio would allocate.
  static char maps[1 << 16];
  int fd = ::open("/proc/self/maps", O_RDONLY);
  if (fd < 0) return 1;
  ssize_t length = 0, got;
  while ((got = ::read(fd, maps + length, sizeof maps - 1 - static_cast<std::size_t>(length))) > 0)
    length += got;
  ::close(fd);
  maps[length] = '\0';
  const char* heap = std::strstr(maps, "[heap]");
  if (!heap) return 2;
  while (heap > maps && heap[-1] != '\n')
    --heap;
  auto start = std::strtoull(heap, nullptr, 16);
  std::printf("%llu\n", static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(block) - start));
  std::free(block);
  return 0;
}
