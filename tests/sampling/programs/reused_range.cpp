// A program that dlopens library A, spins and leaks in it, closes it, then dlopens library B (the same code
// under other names, reused_range_lib.c) and does the same there. The loader usually maps B over A's closed
// range, so the same addresses mean A's code before the dlclose and B's after: the snapshot must name each
// frame after the module mapped when it was recorded. Prints "overlap 1" when B landed on A's range.
// Usage: reused_range DIR SECONDS (DIR holds libreused_a.so and libreused_b.so).
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using Spin = double (*)(double);
using Leak = void* (*)(int, std::size_t);

struct Range {
  std::uintptr_t low = 0, high = 0;
};

// The mapped range of the loaded object whose path ends with `name`.
Range range_of(const char* name) {
  struct Search {
    const char* name;
    Range range;
  } search{name, {}};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        std::string path = info->dlpi_name ? info->dlpi_name : "";
        std::string want = s->name;
        if (path.size() < want.size() || path.compare(path.size() - want.size(), want.size(), want) != 0)
          return 0;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& h = info->dlpi_phdr[i];
          if (h.p_type != PT_LOAD) continue;
          std::uintptr_t low = info->dlpi_addr + h.p_vaddr, high = low + h.p_memsz;
          if (!s->range.low || low < s->range.low) s->range.low = low;
          if (high > s->range.high) s->range.high = high;
        }
        return 1;
      },
      &search);
  return search.range;
}

struct Opened {
  void* handle;
  Spin spin;
  Leak leak;
};

Opened open_library(const std::string& dir, const char* name) {
  void* handle = dlopen((dir + "/libreused_" + name + ".so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "%s\n", dlerror());
    std::exit(1);
  }
  Opened opened{handle, reinterpret_cast<Spin>(dlsym(handle, (std::string("spin_in_lib_") + name).c_str())),
                reinterpret_cast<Leak>(dlsym(handle, (std::string("leak_in_lib_") + name).c_str()))};
  if (!opened.spin || !opened.leak) std::exit(1);
  return opened;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  double seconds = std::atof(argv[2]);
  Range ranges[2];
  void* previous = nullptr;
  // One loop, so both libraries are opened from the same call stack: the memory tracer then meets the
  // loader's allocations for B at the sites A's made, and maps nothing new (its tables grow by mmap) that
  // could take the range A left.
  for (int i = 0; i < 2; ++i) {
    const char* name = i == 0 ? "a" : "b";
    // No signal from the close to the next open: a profiler's handler that maps memory then could take the
    // freed range, and B would land elsewhere.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (previous) dlclose(previous);
    Opened opened = open_library(argv[1], name);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    opened.spin(seconds);
    opened.leak(i == 0 ? 100 : 300, 1000);
    ranges[i] = range_of(i == 0 ? "libreused_a.so" : "libreused_b.so");
    previous = opened.handle;
  }
  dlclose(previous);
  std::printf("overlap %d\n", ranges[0].low < ranges[1].high && ranges[1].low < ranges[0].high ? 1 : 0);
  return 0;
}
