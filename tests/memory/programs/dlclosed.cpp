// Opens the library given as argv[1], leaks three 777-byte blocks allocated inside it, closes it, and does
// that twice (the second time the library may come back at the same address: the stack cache must not
// replay frames it learned for the first mapping). Exit status 0 only when every step worked.
#include <dlfcn.h>
#include <cstdio>

namespace {

void* volatile g_sink;

bool open_allocate_close(const char* path) {
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) return false;
  auto allocate = reinterpret_cast<void* (*)(std::size_t)>(dlsym(handle, "library_allocate"));
  if (!allocate) return false;
  for (int i = 0; i < 3; ++i)
    g_sink = allocate(777);
  return dlclose(handle) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  for (int round = 0; round < 2; ++round) {
    if (!open_allocate_close(argv[1])) {
      std::fprintf(stderr, "dlclosed: %s\n", dlerror());
      return 1;
    }
  }
  std::puts("closed");
  return 0;
}
