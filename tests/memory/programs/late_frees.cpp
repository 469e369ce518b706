// Frees the tracer counts a few frees late (preload/memory/free_queue.hpp): blocks freed far from the latest
// allocation and without being read, so that they wait in the queue, with the events that must count them
// first. Every figure is planted; the test runs it with the queue forced on, off and probing, and expects
// the same exact books. Prints "name offset" for each planting function first (memory_snapshot_reader.hpp),
// then what the child and the thread saw, and glibc's count of the heap in use after frees that wait.
#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define PLANT extern "C" __attribute__((noinline, used))

namespace {

constexpr int kBlocks = 4000;
void* g_blocks[kBlocks];
volatile std::uintptr_t g_sink;

// Sizes across tails in small chunks, tails beyond the first line, and headers (above 256 bytes).
std::size_t size_of(int i) {
  return 16 + static_cast<std::size_t>(i % 37) * 11;
}

std::size_t planted_bytes() {
  std::size_t bytes = 0;
  for (int i = 0; i < kBlocks; ++i)
    bytes += size_of(i);
  return bytes;
}

int g_order[kBlocks];

// A shuffled order of the blocks (the same in every run).
void shuffle() {
  for (int i = 0; i < kBlocks; ++i)
    g_order[i] = i;
  unsigned long long random = 88172645463325252ull;
  for (int i = kBlocks - 1; i > 0; --i) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    int j = static_cast<int>(random % static_cast<unsigned long long>(i + 1));
    int swapped = g_order[i];
    g_order[i] = g_order[j];
    g_order[j] = swapped;
  }
}

// Frees the blocks from the `first`th to the last in the shuffled order, reading none of them.
void free_shuffled(int first = 0) {
  for (int i = first; i < kBlocks; ++i)
    std::free(g_blocks[g_order[i]]);
}

// An allocation far from the planted blocks (its own mapping), so that their frees are not near the latest.
void* g_far = nullptr;

void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(fn) -
                                         reinterpret_cast<std::uintptr_t>(info.dli_fbase)));
}

}  // namespace

PLANT void plant_blocks() {
  for (int i = 0; i < kBlocks; ++i)
    g_blocks[i] = std::malloc(size_of(i));
}

constexpr int kBig = 200;
void* g_big[kBig];
PLANT void plant_big() {
  for (int i = 0; i < kBig; ++i)
    g_big[i] = std::malloc(2000 + static_cast<std::size_t>(i) * 16);
}

PLANT void plant_far() {
  g_far = std::malloc(1 << 20);
  g_sink = reinterpret_cast<std::uintptr_t>(g_far);
}

// After the frees the live heap is the far block alone; this block takes it to 100 bytes below the peak (the
// planted blocks and the far one). Counted while freed blocks still waited, it would have raised the peak.
// A block made right after the first free since the peak: no share of that peak, though the heap was at it a
// free ago.
void* g_after_peak = nullptr;
PLANT void plant_after_peak() {
  g_after_peak = std::malloc(10);  // less than the freed block: no new peak
}

PLANT void plant_below_peak() {
  void* block = std::malloc(planted_bytes() - 100);
  g_sink = reinterpret_cast<std::uintptr_t>(block);
  std::free(block);
}

// 1000 blocks freed right after their allocation: temporary ones, never queued.
PLANT void plant_temporary() {
  for (int i = 0; i < 1000; ++i) {
    void* block = std::malloc(40);
    g_sink = reinterpret_cast<std::uintptr_t>(block);
    std::free(block);
  }
}

// A thread whose allocation makes a new peak (in a child of its own: after a thread, a process never has one
// thread again): the frees queued before it started are counted by then.
PLANT void* plant_thread(void*) {
  void* block = std::malloc(planted_bytes() + 1000);
  g_sink = reinterpret_cast<std::uintptr_t>(block);
  std::free(block);
  return nullptr;
}

// Two blocks the child leaks after the parent's frees, which must count in neither process's child books.
PLANT void plant_child() {
  g_sink = reinterpret_cast<std::uintptr_t>(std::malloc(30));
  g_sink = reinterpret_cast<std::uintptr_t>(std::malloc(30));
}

int main() {
  print_offset("plant_blocks", reinterpret_cast<void*>(&plant_blocks));
  print_offset("plant_far", reinterpret_cast<void*>(&plant_far));
  print_offset("plant_big", reinterpret_cast<void*>(&plant_big));
  print_offset("plant_after_peak", reinterpret_cast<void*>(&plant_after_peak));
  print_offset("plant_below_peak", reinterpret_cast<void*>(&plant_below_peak));
  print_offset("plant_temporary", reinterpret_cast<void*>(&plant_temporary));
  print_offset("plant_thread", reinterpret_cast<void*>(&plant_thread));
  print_offset("plant_child", reinterpret_cast<void*>(&plant_child));
  // (The helpers and main own their frames too, whatever lies before them.)
  print_offset("print_offset", reinterpret_cast<void*>(&print_offset));
  print_offset("free_shuffled", reinterpret_cast<void*>(&free_shuffled));
  print_offset("main", reinterpret_cast<void*>(&main));
  std::printf("planted %zu\n", planted_bytes());

  shuffle();
  // 1: a peak, one free, an allocation, then frees that wait, then an allocation just below the peak.
  plant_blocks();
  plant_far();
  std::free(g_blocks[g_order[0]]);
  plant_after_peak();
  free_shuffled(1);
  plant_below_peak();
  std::free(g_after_peak);
  plant_temporary();

  // 2: frees that wait when the process forks: the child frees nothing of the parent's in its books.
  plant_blocks();
  free_shuffled();
  std::fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    plant_child();
    std::exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  std::printf("child %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "clean" : "failed");

  // 3: frees that wait when a thread starts and makes a new peak, in a second child.
  child = fork();
  if (child == 0) {
    plant_blocks();
    free_shuffled();
    pthread_t thread;
    if (pthread_create(&thread, nullptr, plant_thread, nullptr) != 0) std::exit(1);
    pthread_join(thread, nullptr);
    std::exit(0);
  }
  waitpid(child, &status, 0);
  std::printf("thread child %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "clean" : "failed");

  // 4: glibc's own count of the heap in use, after frees that wait: as without the shim. (Blocks above the
  // sizes glibc keeps in its per-thread cache, which mallinfo2 counts as in use, in an order of its own.)
  const std::size_t in_use = mallinfo2().uordblks;
  plant_big();
  for (int i = 0; i < kBig; ++i)
    std::free(g_big[i]);
  std::printf("heap in use after the frees: %zd bytes more\n",
              static_cast<ssize_t>(mallinfo2().uordblks - in_use));

  // 5: frees that still wait when the process exits: no leak.
  std::free(g_far);
  plant_blocks();
  free_shuffled();
  std::printf("done\n");
  return 0;
}
