// Two threads in the dynamic loader's lock for a while of CPU time: dl_iterate_phdr with an empty callback
// (as C++ exception unwinding calls it), and dlopen/dlclose of a library already loaded. A sample that lands
// while a thread takes or releases that lock must not wait for it (a hang, issue 13's suite under python3).
//   loader_calls SECONDS
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

int count_objects(dl_phdr_info*, size_t, void* data) {
  ++*static_cast<long*>(data);
  return 0;
}

void* iterate(void* seconds) {
  long objects = 0;
  const double end = cpu_seconds() + *static_cast<double*>(seconds);
  while (cpu_seconds() < end)
    for (int i = 0; i < 100; ++i)
      dl_iterate_phdr(count_objects, &objects);
  return reinterpret_cast<void*>(objects);
}

void* reopen(void* seconds) {
  const double end = cpu_seconds() + *static_cast<double*>(seconds);
  while (cpu_seconds() < end) {
    void* handle = dlopen("libm.so.6", RTLD_NOW);
    if (handle) dlclose(handle);
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  pthread_t other;
  pthread_create(&other, nullptr, reopen, &seconds);
  void* objects = iterate(&seconds);
  pthread_join(other, nullptr);
  std::printf("%s\n", objects ? "done" : "no objects");
  return 0;
}
