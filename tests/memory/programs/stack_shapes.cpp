// Stack shapes and heap shapes of the workload suite (issue 13) with exactly known figures, for the memory
// tracer's tests: recursion deeper than PROF_DEPTH, thousands of distinct stacks through one leaf, peaks that
// are still open when the snapshot is written and peaks closed by a free, a heap of a million live blocks.
// Prints "name offset" for each planting function, as planted.cpp does.
//
//   stack_shapes deep | varying | entries | distinct | distinct_threads | peak_open | peak_closed | live
//   COUNT | tail
#include <alloca.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile long g_sink;

// deep: every level of a 300-deep recursion allocates, 20 times over (6000 blocks of 40 bytes, all freed).
__attribute__((noinline)) void plant_deep(int depth) {
  void* block = std::malloc(40);
  g_sink = g_sink + reinterpret_cast<long>(block);
  if (depth < 300) plant_deep(depth + 1);
  std::free(block);
}

// varying: frames whose size changes from call to call (alloca), which compute their CFA from rbp in every
// build: the same three stacks at other offsets each time. 1000 calls of three levels: 3000 blocks of 56
// bytes.
__attribute__((noinline)) void plant_varying(int level, int words) {
  auto* scratch = static_cast<volatile long*>(alloca(sizeof(long) * static_cast<std::size_t>(words)));
  scratch[0] = level;
  void* block = std::malloc(56);
  g_sink = g_sink + reinterpret_cast<long>(block) + scratch[0];
  if (level < 3) plant_varying(level + 1, words);
  std::free(block);
}

// entries: the same frames of changing size through calloc and realloc, which read the caller's rbp at their
// entry (a realloc of null is a malloc made inside the shim). Per call and level: calloc(7, 8), realloc(null,
// 48), then that block grown to 96 bytes: 1000 calls of three levels, 9000 blocks and 600 000 bytes.
__attribute__((noinline)) void plant_entries(int level, int words) {
  auto* scratch = static_cast<volatile long*>(alloca(sizeof(long) * static_cast<std::size_t>(words)));
  scratch[0] = level;
  void* zeroed = std::calloc(7, 8);
  void* grown = std::realloc(nullptr, 48);
  grown = std::realloc(grown, 96);
  g_sink = g_sink + reinterpret_cast<long>(zeroed) + reinterpret_cast<long>(grown) + scratch[0];
  if (level < 3) plant_entries(level + 1, words);
  std::free(grown);
  std::free(zeroed);
}

// distinct: five levels of seven call sites each reach plant_leaf through 7^5 = 16 807 different stacks; four
// passes, so every stack allocates four times (24 bytes each). The first two go through the stacks in one
// order, the last two in another: the stack cache's guess of the next site (what came after last time) is
// right in the second pass, wrong in the third, right again in the fourth.
constexpr int kLevels = 5;
constexpr int kWays = 7;

__attribute__((noinline)) void* plant_leaf(std::size_t size) {
  void* block = std::malloc(size);
  g_sink = g_sink + 1;
  return block;
}

template <int Level>
__attribute__((noinline)) void* path(const int* digits) {
  if constexpr (Level == kLevels) {
    return plant_leaf(24);
  } else {
    void* block = nullptr;
    // Distinct code around each call: seven return addresses. The asm statements differ from case to case, so
    // clang cannot merge the seven calls into one (it does with only the constants below differing).
    switch (digits[Level]) {
#define PROF_STACK_SHAPES_CASE(n)      \
  case n:                              \
    asm volatile("# before call " #n); \
    block = path<Level + 1>(digits);   \
    asm volatile("# after call " #n);  \
    g_sink = g_sink + 10 + n;          \
    break;
      PROF_STACK_SHAPES_CASE(0)
      PROF_STACK_SHAPES_CASE(1)
      PROF_STACK_SHAPES_CASE(2)
      PROF_STACK_SHAPES_CASE(3)
      PROF_STACK_SHAPES_CASE(4)
      PROF_STACK_SHAPES_CASE(5)
      default:
        asm volatile("# before call 6");
        block = path<Level + 1>(digits);
        asm volatile("# after call 6");
        g_sink = g_sink + 16;
        break;
#undef PROF_STACK_SHAPES_CASE
    }
    return block;
  }
}

__attribute__((noinline)) void distinct() {
  int paths = 1;
  for (int i = 0; i < kLevels; ++i)
    paths *= kWays;
  for (int pass = 0; pass < 4; ++pass) {
    for (int q = 0; q < paths; ++q) {
      int p = pass < 2 ? q : (q * 9973) % paths;  // 9973 is prime to 7^5: every stack once
      int digits[kLevels];
      for (int i = 0, rest = p; i < kLevels; ++i, rest /= kWays)
        digits[i] = rest % kWays;
      std::free(path<0>(digits));
    }
  }
}

// distinct_threads: four threads at once, each making distinct()'s four passes, so that every site gets 16
// allocations, and the threads learn and read each other's guesses of the next site.
__attribute__((noinline)) void distinct_threads() {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(distinct);
  for (std::thread& thread : threads)
    thread.join();
}

// Peaks: A and B grow the heap to a peak (100 000 + 50 000 bytes), a free of A closes it; B grows again, C
// grows past the old peak (A 40 000 + B 80 000 + C 40 000), and the program either ends there (the peak is
// still open when the snapshot is written) or frees C first (closed). Either way the shares at the peak are
// A 40 000, B 80 000, C 40 000.
void* g_a[100];
void* g_b[80];
void* g_c[40];

// Each writes its own mark into its blocks, so the compiler cannot share one loop between them.
__attribute__((noinline)) void plant_peak_a(int from, int to) {
  for (int i = from; i < to; ++i) {
    g_a[i] = std::malloc(1000);
    static_cast<char*>(g_a[i])[0] = 'a';
  }
}
__attribute__((noinline)) void plant_peak_b(int from, int to) {
  for (int i = from; i < to; ++i) {
    g_b[i] = std::malloc(1000);
    static_cast<long*>(g_b[i])[1] = i;
    g_sink = g_sink + 2;
  }
}
__attribute__((noinline)) void plant_peak_c() {
  for (void*& c : g_c) {
    c = std::malloc(1000);
    static_cast<short*>(c)[3] = 7;
    g_sink = g_sink + 3;
  }
}

__attribute__((noinline)) void peaks(bool close) {
  plant_peak_a(0, 100);
  plant_peak_b(0, 50);
  for (int i = 40; i < 100; ++i)
    std::free(g_a[i]);
  plant_peak_b(50, 80);
  plant_peak_c();
  if (close)
    for (void* c : g_c)
      std::free(c);
}

// live: COUNT live 16-byte blocks, then the resident set (kB) while they are live, then all freed.
__attribute__((noinline)) void plant_live(void** blocks, long count) {
  for (long i = 0; i < count; ++i) {
    blocks[i] = std::malloc(16);
    std::memset(blocks[i], 1, 16);
  }
}

__attribute__((noinline)) long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
  }
  return -1;
}

void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

}  // namespace

// tail: 40 blocks of 4320 bytes from main itself, then 40 of 4321 bytes from a frame under main, then 40 of
// 4322 bytes from the frame under that, each stack beside glibc's own backtrace of it: prints "outer MODULE
// OFFSET" for the frames from plant_tail's caller outwards (main, the start-up frames), which the blocks'
// stacks must end with.
__attribute__((noinline)) void plant_tail(std::size_t size) {
  void* where[64];
  const int count = backtrace(where, 64);
  static bool printed = false;
  for (int i = 1; !printed && i < count; ++i) {  // [0] is here
    Dl_info info;
    if (!dladdr(where[i], &info) || !info.dli_fname) continue;
    const char* base = std::strrchr(info.dli_fname, '/');
    std::printf(
        "outer %s %lu\n", base ? base + 1 : info.dli_fname,
        static_cast<unsigned long>(static_cast<char*>(where[i]) - static_cast<char*>(info.dli_fbase)));
  }
  printed = true;
  void* block = std::malloc(size);
  g_sink = g_sink + reinterpret_cast<long>(block);
  std::free(block);
}

__attribute__((noinline)) void tail_one_deeper() {
  plant_tail(4322);
  g_sink = g_sink + 1;
}

int main(int argc, char** argv) {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_deep);
  OFFSET(plant_leaf);
  OFFSET(plant_varying);
  OFFSET(plant_entries);
  OFFSET(plant_peak_a);
  OFFSET(plant_peak_b);
  OFFSET(plant_peak_c);
  OFFSET(plant_live);
  OFFSET(plant_tail);
  OFFSET(resident_kib);
  OFFSET(distinct);
  OFFSET(peaks);
  OFFSET(print_offset);
  OFFSET(main);
  std::fflush(stdout);
  const char* mode = argc > 1 ? argv[1] : "deep";
  if (std::strcmp(mode, "deep") == 0) {
    for (int round = 0; round < 20; ++round)
      plant_deep(1);
  } else if (std::strcmp(mode, "varying") == 0) {
    for (int call = 0; call < 1000; ++call)
      plant_varying(1, 1 + (call * 37) % 1000);
  } else if (std::strcmp(mode, "entries") == 0) {
    for (int call = 0; call < 1000; ++call)
      plant_entries(1, 1 + (call * 37) % 1000);
  } else if (std::strcmp(mode, "distinct") == 0) {
    distinct();
  } else if (std::strcmp(mode, "distinct_threads") == 0) {
    distinct_threads();
  } else if (std::strcmp(mode, "peak_open") == 0 || std::strcmp(mode, "peak_closed") == 0) {
    peaks(std::strcmp(mode, "peak_closed") == 0);
  } else if (std::strcmp(mode, "tail") == 0) {
    for (int i = 0; i < 40; ++i) {  // from main itself first: the shortest stack through main
      void* block = std::malloc(4320);
      g_sink = g_sink + reinterpret_cast<long>(block);
      std::free(block);
    }
    for (int i = 0; i < 40; ++i)
      plant_tail(4321);
    for (int i = 0; i < 40; ++i)
      tail_one_deeper();
  } else if (std::strcmp(mode, "live") == 0) {
    long count = argc > 2 ? std::atol(argv[2]) : 1000000;
    auto** blocks = static_cast<void**>(std::malloc(sizeof(void*) * static_cast<std::size_t>(count)));
    plant_live(blocks, count);
    std::printf("resident_kib %ld\n", resident_kib());
    for (long i = 0; i < count; ++i)
      std::free(blocks[i]);
    std::free(blocks);
  } else {
    return 2;
  }
  return 0;
}
