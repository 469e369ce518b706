// Threads with the smallest stacks a program may ask for (PTHREAD_STACK_MIN, 20 KiB, 24 KiB), each allocating
// and freeing 1000 blocks from a few call depths, up to 6 KiB deep. Under the shim they must start (its
// static TLS is carved out of every thread's stack) and allocate without overflowing (the unwinder's walk
// needs stack too). Prints "name offset" for each planting function (offset from its module's load address),
// then what each thread did.
#include <dlfcn.h>
#include <pthread.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define PLANT extern "C" __attribute__((noinline, used))

namespace {

constexpr int kBlocks = 1000;
void* volatile g_sink;

struct Work {
  std::size_t stack_size;
  std::size_t block_size;
  void* (*plant)(std::size_t);
  int allocated = 0;
};

}  // namespace

// One planting function per stack size, so the test finds each thread's allocations by their caller.
PLANT void* plant_min(std::size_t size) {
  return malloc(size);
}
PLANT void* plant_20k(std::size_t size) {
  return malloc(size);
}
PLANT void* plant_24k(std::size_t size) {
  return malloc(size);
}

// Calls `plant` `depth` frames below itself, each frame holding 2 KiB of the thread's stack: the same caller
// reached with less and less stack left (down to 6 KiB used on top of the thread's own needs).
PLANT void* descend(int depth, void* (*plant)(std::size_t), std::size_t size) {
  if (depth == 0) return plant(size);
  volatile char used[2048];
  used[0] = static_cast<char>(depth);
  void* block = descend(depth - 1, plant, size);
  g_sink = block;  // keeps the call from becoming a tail call
  used[sizeof used - 1] = used[0];
  return block;
}

PLANT void* run_thread(void* arg) {
  auto* work = static_cast<Work*>(arg);
  for (int i = 0; i < kBlocks; ++i) {
    void* block = descend(i % 4, work->plant, work->block_size);
    if (!block) break;
    static_cast<char*>(block)[0] = 1;
    free(block);
    ++work->allocated;
  }
  return nullptr;
}

static void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

PLANT void* churn_thread(void*) {
  for (int i = 0; i < 10; ++i)
    free(descend(i % 4, plant_min, 48));
  return nullptr;
}

static int run_threads(int count) {
  for (int i = 0; i < count; ++i) {
    pthread_t thread;
    if (int rc = pthread_create(&thread, nullptr, churn_thread, nullptr)) {
      std::printf("pthread_create failed: %d\n", rc);
      return 1;
    }
    pthread_join(thread, nullptr);
  }
  std::printf("%d threads ran\n", count);
  return 0;
}

int main(int argc, char** argv) {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_min);
  OFFSET(plant_20k);
  OFFSET(plant_24k);
  OFFSET(descend);
  OFFSET(run_thread);
  OFFSET(churn_thread);
  OFFSET(run_threads);
  OFFSET(print_offset);
  OFFSET(main);
  std::fflush(stdout);
  if (argc > 2 && std::strcmp(argv[1], "threads") == 0) return run_threads(std::atoi(argv[2]));
  Work works[] = {{static_cast<std::size_t>(PTHREAD_STACK_MIN), 48, plant_min},
                  {20 << 10, 80, plant_20k},
                  {24 << 10, 112, plant_24k}};
  int failed = 0;
  for (Work& work : works) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, work.stack_size);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, run_thread, &work);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      std::printf("stack %zu: pthread_create failed: %d\n", work.stack_size, rc);
      ++failed;
      continue;
    }
    pthread_join(thread, nullptr);
    std::printf("stack %zu: %d blocks of %zu bytes allocated and freed\n", work.stack_size, work.allocated,
                work.block_size);
  }
  return failed;
}
