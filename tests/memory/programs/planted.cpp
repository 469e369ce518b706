// Allocations planted on known functions, for the memory tracer's end-to-end tests. Prints "name offset" for
// each planting function (offset from its module's load address), so the test can find their sites.
#include <dlfcn.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#define PLANT extern "C" __attribute__((noinline))

static void* volatile g_sink;
static void* g_kept[64];

PLANT void plant_malloc() {
  for (int i = 0; i < 10; ++i)
    g_kept[i] = malloc(100);
}
PLANT void plant_leak() {
  for (int i = 0; i < 3; ++i)
    g_sink = malloc(64);
}
PLANT void plant_calloc() {
  g_kept[10] = calloc(4, 25);
}
PLANT void plant_realloc() {
  void* p = realloc(nullptr, 10);
  p = realloc(p, 20);
  p = realloc(p, 30);
  g_sink = realloc(p, 0);
}
PLANT void plant_aligned() {
  posix_memalign(&g_kept[11], 64, 100);
  g_kept[12] = aligned_alloc(64, 128);
  g_kept[13] = memalign(64, 100);
  g_kept[14] = valloc(100);
  g_kept[15] = pvalloc(100);
  g_kept[16] = reallocarray(nullptr, 10, 10);
}
PLANT void plant_temporary() {
  for (int i = 0; i < 5; ++i) {
    void* p = malloc(32);
    g_sink = p;
    free(p);
  }
}
PLANT void plant_peak_a() {
  void* p = malloc(1 << 20);
  std::memset(p, 1, 1 << 20);
  g_sink = p;
  free(p);
}
PLANT void plant_peak_b() {
  g_kept[17] = malloc(512 << 10);
}
// Reached from two callers with the same frame size from the same place: the allocation's return address and
// stack pointer are the same, only the return address into the caller differs. They must be two sites.
extern "C" __attribute__((noinline)) void shared_leaf(int tag) {
  void* p = malloc(static_cast<std::size_t>(24 + tag));
  g_sink = p;
  free(p);
}
PLANT void plant_caller_a() {
  shared_leaf(0);
  asm volatile("" ::: "memory");
}
PLANT void plant_caller_b() {
  shared_leaf(0);
  asm volatile("nop" ::: "memory");
}
PLANT void plant_thread() {
  for (int i = 0; i < 1000; ++i) {
    void* p = malloc(16);
    g_sink = p;
    free(p);
  }
}
// Issue 11: realloc to a size no allocator gives fails with ENOMEM and leaves the block live and unchanged.
PLANT void plant_realloc_kept() {
  void* p = malloc(1 << 20);
  std::memset(p, 2, 1 << 20);
  volatile size_t huge = static_cast<size_t>(-1) / 2;  // opaque, or the compiler may fold the call
  errno = 0;
  void* q = realloc(p, huge);
  if (q) {
    std::printf("realloc failed wrong: it succeeded\n");
    g_kept[18] = q;
    return;
  }
  std::printf("realloc failed %s %s\n", errno == ENOMEM ? "enomem" : "wrong",
              static_cast<unsigned char*>(p)[12345] == 2 ? "kept" : "lost");
  g_kept[18] = p;
}
// Issue 13: one site from several threads at once, after the process was single-threaded (when the tracer
// takes no locks): counts stay exact only if the locks come back with the first thread.
PLANT void plant_shared(int count, void** keep) {
  for (int i = 0; i < count; ++i) {
    void* p = malloc(24);
    g_sink = p;
    if (keep) {
      keep[i] = p;
    } else {
      free(p);
    }
  }
}
// Issue 13: a single-threaded program's frees reach their sites' counters a few frees late (sites.cpp). Three
// sites, freed in turn, around a second peak that comes while frees still wait: each site's share of it must
// be what it held then.
static void* g_ring[3][100];
PLANT void plant_ring_a() {
  for (int i = 0; i < 100; ++i)
    g_ring[0][i] = malloc(1000);
}
PLANT void plant_ring_b() {
  for (int i = 0; i < 100; ++i)
    g_ring[1][i] = malloc(1000);
}
PLANT void plant_ring_c() {
  for (int i = 0; i < 100; ++i)
    g_ring[2][i] = malloc(1000);
}
PLANT void* plant_ring_big() {
  void* p = malloc(1 << 20);
  std::memset(p, 3, 1 << 20);
  return p;
}
// Issue 13: a block of a mapping of its own, shrunk to 50 bytes, stays in a page of that mapping, thousands
// of bytes past its size: its books (a tail at the end of the page, headers.hpp) must still give 50 bytes to
// its free, or the heap's total drifts below the truth before the peak that follows.
PLANT void* plant_mapped() {
  void* p = realloc(malloc(100), 4 << 20);  // a small block's tail, kept as it grows
  std::memset(p, 4, 4 << 20);
  return p;
}
PLANT void* plant_shrunk(void* p) {
  return realloc(p, 50);
}
PLANT void* plant_mapped_peak() {
  void* p = malloc(8 << 20);
  std::memset(p, 5, 8 << 20);
  return p;
}
// Issue 13: 16 807 stacks through one leaf, each pass in a new order: the stack cache's entry for the leaf's
// malloc misses at nearly every allocation, the tracer finds their sites later, several at a time
// (sites::record_later), and frees reach their sites late (more than 4 096 sites); frees and reallocs of
// blocks whose site is not found yet, and a peak among them. With `threads`, the last frees come from threads
// started while both lines still wait.
static volatile long g_spread_sink;
PLANT void* plant_spread_leaf(std::size_t size) {
  return malloc(size);
}
template <int Level>
__attribute__((noinline)) void* spread_path(const int* digits, std::size_t size);
#define PROF_SPREAD_WAY(k)                              \
  case k:                                               \
    block = spread_path<Level + 1>(digits, size + (k)); \
    g_spread_sink = g_spread_sink + (k);                \
    break;
template <int Level>
__attribute__((noinline)) void* spread_path(const int* digits, std::size_t size) {
  if constexpr (Level == 5) {
    return plant_spread_leaf(size);
  } else {
    void* block = nullptr;
    switch (digits[Level]) {
      PROF_SPREAD_WAY(0)
      PROF_SPREAD_WAY(1)
      PROF_SPREAD_WAY(2)
      PROF_SPREAD_WAY(3)
      PROF_SPREAD_WAY(4)
      PROF_SPREAD_WAY(5)
      default:
        block = spread_path<Level + 1>(digits, size + 6);
        g_spread_sink = g_spread_sink + 6;
    }
    return block;
  }
}
constexpr int kSpreadPaths = 7 * 7 * 7 * 7 * 7;
// Path p's block: 16 bytes plus the sum of its digits (each level adds its digit). Out of line: every pass
// meets the same 16 807 stacks.
__attribute__((noinline)) static void* spread(int p) {
  int digits[5];
  for (int i = 0, rest = p; i < 5; ++i, rest /= 7)
    digits[i] = rest % 7;
  return spread_path<0>(digits, 16);
}
static void shuffle(int* order, unsigned long long& random) {
  for (int i = kSpreadPaths - 1; i > 0; --i) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    int j = static_cast<int>(random % static_cast<unsigned long long>(i + 1));
    int swapped = order[i];
    order[i] = order[j];
    order[j] = swapped;
  }
}
// One pass over the first `count` paths of `order`: each block kept in `into`, or freed at once when `into`
// is null.
__attribute__((noinline)) static void spread_pass(const int* order, int count, void** into) {
  for (int q = 0; q < count; ++q) {
    void* block = spread(order[q]);
    if (into) {
      into[order[q]] = block;
    } else {
      g_sink = block;
      free(block);  // temporary
    }
  }
}
// After the first pass: half the blocks freed, a quarter moved by realloc (to a site of its own).
__attribute__((noinline)) static void thin_out(const int* order, void** held) {
  for (int q = 0; q < kSpreadPaths; ++q) {
    int p = order[q];
    if (p % 2 == 0) free(held[p]);
    if (p % 4 == 1) held[p] = realloc(held[p], 200);
  }
}
// The peak: held[p] for p % 4 == 3, every block of `again` on the leaf's stacks, and this block, whose free
// ends it well above anything the threads' own allocations could reach again (their live bytes reach the
// heap's total in batches: sites.hpp).
__attribute__((noinline)) static void end_peak() {
  void* big = malloc(1 << 20);
  std::memset(big, 4, 1 << 20);
  g_sink = big;
  free(big);
}
// The fourth pass: paths 0, 3, ..., 21 once more, their sites found later and still waiting when the threads
// start.
constexpr int kTail = 8;
static const int kTailOrder[kTail] = {0, 3, 6, 9, 12, 15, 18, 21};
static volatile int g_spread_passes = 4;  // opaque: the loop below keeps its one call of spread_pass
static void plant_spread(bool threads) {
  static void* held[kSpreadPaths];
  static void* again[kSpreadPaths];
  static void* tail[kSpreadPaths];
  static int order[kSpreadPaths];
  for (int p = 0; p < kSpreadPaths; ++p)
    order[p] = p;
  unsigned long long random = 88172645463325252ull;
  void** into[4] = {held, nullptr, again, tail};
  for (int pass = 0; pass < g_spread_passes; ++pass) {  // the same stacks in every pass
    if (pass < 3) shuffle(order, random);
    if (pass == 3) end_peak();
    spread_pass(pass < 3 ? order : kTailOrder, pass < 3 ? kSpreadPaths : kTail, into[pass]);
    if (pass == 0) thin_out(order, held);
  }
  if (!threads) {
    for (int p = 0; p < kSpreadPaths; p += 3)
      free(again[p]);
    for (int p : kTailOrder)
      free(tail[p]);
    return;
  }
  std::vector<std::thread> team;
  for (int t = 0; t < 4; ++t)
    team.emplace_back([t] {
      for (int p = 3 * t; p < kSpreadPaths; p += 12)
        free(again[p]);
      for (int q = t; q < kTail; q += 4)
        free(tail[kTailOrder[q]]);
    });
  for (auto& member : team)
    member.join();
}
PLANT void plant_child() {
  g_sink = malloc(30);
  g_sink = malloc(30);
}

static void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

int main(int argc, char** argv) {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_malloc);
  OFFSET(plant_leak);
  OFFSET(plant_calloc);
  OFFSET(plant_realloc);
  OFFSET(plant_aligned);
  OFFSET(plant_temporary);
  OFFSET(plant_peak_a);
  OFFSET(plant_peak_b);
  OFFSET(plant_thread);
  OFFSET(shared_leaf);
  OFFSET(plant_caller_a);
  OFFSET(plant_caller_b);
  OFFSET(plant_shared);
  OFFSET(plant_child);
  OFFSET(plant_realloc_kept);
  OFFSET(plant_ring_a);
  OFFSET(plant_ring_b);
  OFFSET(plant_ring_c);
  OFFSET(plant_ring_big);
  OFFSET(plant_spread_leaf);
  OFFSET(plant_mapped);
  OFFSET(plant_shrunk);
  OFFSET(plant_mapped_peak);
  OFFSET(print_offset);
  OFFSET(main);
  std::fflush(stdout);
  const char* mode = argc > 1 ? argv[1] : "family";
  if (std::strcmp(mode, "family") == 0) {
    plant_malloc();
    plant_leak();
    plant_calloc();
    plant_realloc();
    plant_aligned();
    plant_temporary();
    plant_peak_a();
    plant_peak_b();
    for (int i = 0; i <= 17; ++i)
      if (i >= 10 || i < 10) free(g_kept[i]);
    // A stack the tracer has not met (walked, then a new site) and a free: the tracer's work never shows in
    // errno.
    errno = EDOM;
    void* p = malloc(10);
    g_sink = p;  // or the compiler drops the pair
    bool kept_by_tracer = errno == EDOM;
    free(p);
    kept_by_tracer = kept_by_tracer && errno == EDOM;
    // Fails: ENOMEM is what the program must see. The size is opaque, or clang folds the call to null.
    volatile size_t huge = static_cast<size_t>(-1) / 2;
    void* q = malloc(huge);
    int failed_errno = errno;
    g_sink = q;
    errno = EDOM;
    free(q);
    std::printf("errno %s %s\n", failed_errno == ENOMEM ? "enomem" : "wrong",
                errno == EDOM && kept_by_tracer ? "kept" : "lost");
    return 3;
  }
  if (std::strcmp(mode, "failed_realloc") == 0) {
    plant_realloc_kept();  // stays live to the end: a leak of 1 MiB
    plant_peak_b();        // the peak is after the failure: both blocks live
    return 0;
  }
  if (std::strcmp(mode, "two_callers") == 0) {
    for (int i = 0; i < 1000; ++i) {
      plant_caller_a();
      if (i % 3 != 0) plant_caller_b();
    }
    return 0;
  }
  if (std::strcmp(mode, "threads") == 0) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back(plant_thread);
    for (auto& t : threads)
      t.join();
    return 0;
  }
  if (std::strcmp(mode, "alone_then_threads") == 0) {
    std::vector<void*> kept(50000);
    plant_shared(50000, kept.data());
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([] { plant_shared(100000, nullptr); });
    for (auto& t : threads)
      t.join();
    for (void* p : kept)
      free(p);
    return 0;
  }
  if (std::strcmp(mode, "threads_left_running") == 0) {
    // Four threads each keep 10 blocks of their own and free 250 of the main thread's 1000, then wait
    // forever: the process ends without joining them, as with an OpenMP team or a pool left running.
    static void* kept[1000];
    static void* own[4][10];
    plant_shared(1000, kept);
    static std::atomic<int> done{0};
    for (int t = 0; t < 4; ++t)
      std::thread([t] {
        plant_shared(10, own[t]);
        for (int i = 0; i < 250; ++i)
          free(kept[t * 250 + i]);
        done.fetch_add(1);
        for (;;)
          pause();
      }).detach();
    while (done.load() < 4)
      std::this_thread::yield();
    return 0;
  }
  if (std::strcmp(mode, "spread") == 0 || std::strcmp(mode, "spread_threads") == 0) {
    plant_spread(std::strcmp(mode, "spread_threads") == 0);
    return 0;
  }
  if (std::strcmp(mode, "delayed_frees") == 0) {
    plant_ring_a();
    plant_ring_b();
    plant_ring_c();
    for (int i = 0; i < 40; ++i)
      for (int k = 0; k < 3; ++k)
        free(g_ring[k][i]);
    void* big = plant_ring_big();  // the peak: 60 blocks of each site live, and the big one
    for (int i = 40; i < 90; ++i)
      for (int k = 2; k >= 0; --k)
        free(g_ring[k][i]);
    free(big);
    return 0;  // 10 blocks of each site leak
  }
  if (std::strcmp(mode, "mapped_shrink") == 0) {
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // every 4 MiB block a mapping of its own
    plant_ring_a();                         // 100 000 bytes live throughout
    for (int i = 0; i < 10; ++i)
      free(plant_shrunk(plant_mapped()));
    free(plant_mapped_peak());
    for (int i = 0; i < 100; ++i)
      free(g_ring[0][i]);
    return 0;
  }
  if (std::strcmp(mode, "fork") == 0) {
    plant_malloc();
    pid_t pid = fork();
    if (pid == 0) {
      plant_child();
      for (int i = 0; i < 10; ++i)
        free(g_kept[i]);
      std::exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
  return 2;
}
