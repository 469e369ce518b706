// Ground truth for the memory tracer: C++ new/delete in every form, a std::vector through inlined STL, an
// exec chain, the abrupt ends (_exit, quick_exit, abort, SIGTERM) and many threads at a common peak. Each
// planting function's figures are known exactly; the test reads them back from the snapshot. Prints "name
// offset" for each planting function, like planted.cpp, so the test finds their sites in a raw snapshot.
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#define PLANT extern "C" __attribute__((noinline))

namespace {

struct alignas(64) Wide {
  char bytes[128];
};

void* volatile g_sink;
Wide* volatile g_wide_sink;

void keep(void* p) {
  g_sink = p;
  asm volatile("" ::: "memory");
}

}  // namespace

// 8 allocations, 4 + 24 + 40 + 16 + 128 + 256 + 64 + 96 = 628 bytes; one `new int[4]` (16 bytes) leaks.
// Every pointer escapes through keep(): a new/delete pair the compiler can see through may be elided.
PLANT void plant_new_forms() {
  int* one = new int(7);  // 4
  keep(one);
  delete one;
  auto* scalar = new long long[3]{1, 2, 3};  // 24
  keep(scalar);
  delete[] scalar;
  auto* array = new char[40];  // 40
  keep(array);
  delete[] array;
  auto* leaked = new int[4];  // 16, never freed
  keep(leaked);
  auto* wide = new Wide;  // 128, aligned new (alignas 64 > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
  g_wide_sink = wide;
  delete wide;
  auto* wide_array = new (std::nothrow) Wide[2];  // 256, nothrow aligned array new
  g_wide_sink = wide_array;
  delete[] wide_array;
  void* raw = ::operator new (64, std::align_val_t{32});  // 64
  keep(raw);
  ::operator delete (raw, 64, std::align_val_t{32});  // sized aligned delete
  void* nothrow = ::operator new(96, std::nothrow);   // 96
  keep(nothrow);
  ::operator delete(nothrow, std::nothrow);
}

PLANT void plant_vector(int times) {
  for (int i = 0; i < times; ++i) {
    std::vector<int> v(1024);  // GROUND_TRUTH_VECTOR_LINE
    keep(v.data());
  }
  keep(new std::vector<int>(2048));  // GROUND_TRUTH_KEPT_VECTOR_LINE
}

PLANT void plant_before_exec() {
  for (int i = 0; i < 3; ++i)
    keep(std::malloc(100));
}

PLANT void plant_after_exec() {
  for (int i = 0; i < 4; ++i)
    keep(std::malloc(200));
}

PLANT void plant_before_end() {
  for (int i = 0; i < 5; ++i)
    keep(std::malloc(1000));
}

namespace {

constexpr int kPeakThreads = 8;
constexpr int kPeakBlocks = 4096;
constexpr std::size_t kPeakBlockBytes = 1024;
pthread_barrier_t g_all_allocated;
pthread_barrier_t g_all_freed;

}  // namespace

// Each thread holds 4 MiB in 1 KiB blocks while all the others hold theirs: the global peak is 32 MiB, all of
// it from this site. Then each frees everything and allocates 2 MiB in 2 KiB blocks at another site, whose
// blocks are live after the peak only.
PLANT void plant_peak_thread_part() {
  std::vector<void*> blocks(kPeakBlocks);
  for (auto& block : blocks)
    block = std::malloc(kPeakBlockBytes);
  pthread_barrier_wait(&g_all_allocated);
  for (auto* block : blocks)
    std::free(block);
  pthread_barrier_wait(&g_all_freed);
}

PLANT void plant_after_peak_part() {
  for (int i = 0; i < 1024; ++i) {
    void* block = std::malloc(2048);
    keep(block);  // a malloc/free pair the compiler can see through is elided
    std::free(block);
  }
}

namespace {

void peak_thread() {
  plant_peak_thread_part();
  plant_after_peak_part();
}

void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

int end_by(const char* how) {
  plant_before_end();
  std::fflush(stdout);
  if (std::strcmp(how, "_exit") == 0) _exit(7);
  if (std::strcmp(how, "quick_exit") == 0) std::quick_exit(8);
  if (std::strcmp(how, "exit") == 0) std::exit(9);
  if (std::strcmp(how, "abort") == 0) std::abort();
  if (std::strcmp(how, "SIGTERM") == 0) raise(SIGTERM);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_new_forms);
  OFFSET(plant_vector);
  OFFSET(plant_before_exec);
  OFFSET(plant_after_exec);
  OFFSET(plant_before_end);
  OFFSET(plant_peak_thread_part);
  OFFSET(plant_after_peak_part);
  // The helpers too: a frame is charged to the nearest function start below it.
  OFFSET(peak_thread);
  OFFSET(print_offset);
  OFFSET(end_by);
  OFFSET(keep);
  OFFSET(main);
  std::fflush(stdout);
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "new") {
    plant_new_forms();
    return 0;
  }
  if (mode == "vector") {
    plant_vector(argc > 2 ? std::atoi(argv[2]) : 10);
    return 0;
  }
  if (mode == "exec") {
    plant_before_exec();
    execl("/proc/self/exe", argv[0], "after-exec", static_cast<char*>(nullptr));
    return 1;
  }
  if (mode == "after-exec") {
    plant_after_exec();
    return 0;
  }
  if (mode == "end" && argc > 2) return end_by(argv[2]);
  if (mode == "peak-threads") {
    pthread_barrier_init(&g_all_allocated, nullptr, kPeakThreads);
    pthread_barrier_init(&g_all_freed, nullptr, kPeakThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kPeakThreads; ++i)
      threads.emplace_back(peak_thread);
    for (auto& t : threads)
      t.join();
    return 0;
  }
  std::fprintf(stderr,
               "usage: ground_truth new | vector [N] | exec | end _exit|quick_exit|exit|abort|SIGTERM | "
               "peak-threads\n");
  return 2;
}
