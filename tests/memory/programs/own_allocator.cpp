// A program that brings its own malloc family in the executable (as one linking jemalloc statically does):
// every allocation binds to it, ahead of any LD_PRELOAD library, so the shim cannot see them and must step
// aside. A bump allocator over a static arena: free does nothing.
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace {

alignas(64) char g_arena[64 << 20];
std::size_t g_used = 0;

void* bump(std::size_t size, std::size_t alignment) {
  std::size_t at = (g_used + alignment - 1) & ~(alignment - 1);
  if (at + size > sizeof g_arena) return nullptr;
  g_used = at + size;
  return g_arena + at;
}

}  // namespace

extern "C" {
void* malloc(std::size_t size) {
  return bump(size ? size : 1, 16);
}
void free(void*) {}
void* calloc(std::size_t count, std::size_t size) {
  void* p = bump(count * size ? count * size : 1, 16);
  if (p) std::memset(p, 0, count * size);
  return p;
}
void* realloc(void* old, std::size_t size) {
  void* p = bump(size ? size : 1, 16);
  if (p && old) std::memmove(p, old, size);  // the arena is contiguous: reading past the old block is safe
  return p;
}
void* memalign(std::size_t alignment, std::size_t size) {
  return bump(size, alignment);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return bump(size, alignment);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  *out = bump(size, alignment);
  return *out ? 0 : 12;
}
std::size_t malloc_usable_size(void*) {
  return 0;
}
}

int main() {
  void* volatile p = malloc(1000);
  std::printf("own allocator %s\n", p ? "ok" : "failed");
  return 7;
}
