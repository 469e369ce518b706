// Sites of known size and count for the sampled memory tracer's accuracy test (issue 13, item 3). Prints
// "name offset" for each planting function, as planted.cpp does; the figures each site must show are in
// memory_sampled_test.cpp. Everything except plant_leak is live together at the peak, then freed.
#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>

#define PLANT extern "C" __attribute__((noinline))

static void* volatile g_sink;
static void* g_small[100000];
static void* g_large[50];
static void* g_mixed[10000];
static void* g_grown[200];

// 100 000 blocks of 64 bytes: far below the interval, each sample stands for many blocks.
PLANT void plant_small() {
  for (auto& block : g_small)
    block = std::malloc(64);
}
// 50 blocks of 200 000 bytes: far above the test's interval, nearly always sampled.
PLANT void plant_large() {
  for (auto& block : g_large)
    block = std::malloc(200000);
}
// 10 000 blocks of 1 to 2048 bytes (a fixed sequence), 10 343 957 bytes in all: the weights differ per block.
PLANT void plant_mixed() {
  unsigned state = 12345;
  for (auto& block : g_mixed) {
    state = state * 1103515245u + 12345u;
    block = std::calloc(1, 1 + (state >> 16) % 2048);
  }
}
// 1 000 blocks of 8 000 bytes never freed.
PLANT void plant_leak() {
  for (int i = 0; i < 1000; ++i)
    g_sink = std::malloc(8000);
}
// 2 000 blocks of 4 000 bytes each freed before the next allocation: temporaries, never live together.
PLANT void plant_temporary() {
  for (int i = 0; i < 2000; ++i) {
    void* block = std::malloc(4000);
    g_sink = block;
    std::free(block);
  }
}

// 200 blocks grown by realloc from 512 bytes, half as large again each time, to 66 429 bytes: 13 sizes
// each, 2600 allocations of 39 652 800 bytes in all, 13 285 800 of them live at the peak. The sizes cross
// the test's interval both ways, so a block moves between sampled and left out as it grows.
PLANT void plant_grown() {
  for (auto& block : g_grown) {
    std::size_t size = 512;
    block = std::malloc(size);
    for (int step = 1; step < 13; ++step) {
      size += size / 2;
      block = std::realloc(block, size);
    }
  }
}

static void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

int main() {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_small);
  OFFSET(plant_large);
  OFFSET(plant_mixed);
  OFFSET(plant_leak);
  OFFSET(plant_temporary);
  OFFSET(plant_grown);
  OFFSET(print_offset);
  OFFSET(main);
  std::fflush(stdout);
  plant_temporary();
  plant_small();
  plant_large();
  plant_mixed();
  plant_grown();
  plant_leak();
  for (void* block : g_small)
    std::free(block);
  for (void* block : g_large)
    std::free(block);
  for (void* block : g_mixed)
    std::free(block);
  for (void* block : g_grown)
    std::free(block);
  return 0;
}
