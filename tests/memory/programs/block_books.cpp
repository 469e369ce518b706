// Where the memory tracer keeps a block's books (issue 13): a header before each block, a side table for
// aligned and page-aligned ones, nothing for blocks from before the tracer. Every function of the malloc
// family is called with its edge cases; the program checks contents, alignments and malloc_usable_size itself
// and prints what it saw (no addresses), so the test compares the output plain and under the shim. Prints
// "name offset" for each planting function first (see memory_snapshot_reader.hpp).
//
//   block_books [LIVE]   LIVE: how many 16-byte blocks plant_live holds at once (default 1 000 000)
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int early_blocks(void*** blocks, std::size_t** sizes);

#define PLANT extern "C" __attribute__((noinline, used))

namespace {

int g_failures = 0;

void expect(bool ok, const char* what) {
  if (ok) return;
  ++g_failures;
  std::printf("wrong: %s\n", what);
}

// The whole usable part is the program's: writing it must not hurt the tracer's books or the allocator's.
void fill_usable(void* block, std::size_t asked, int value) {
  std::size_t usable = malloc_usable_size(block);
  expect(usable >= asked, "malloc_usable_size below the size asked");
  std::memset(block, value, usable);
}

bool aligned(const void* block, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(block) % alignment == 0;
}

}  // namespace

// 1 000 000 live 16-byte blocks, freed in another order than allocated: all counted, none left.
// The heap they take, from glibc's own count, is the plain run's: the books fit the chunk glibc gives a
// 16-byte block anyway (a 16-byte header took 48 bytes a block instead of 32).
PLANT void plant_live(long count) {
  void** blocks = static_cast<void**>(std::malloc(sizeof(void*) * static_cast<std::size_t>(count)));
  const std::size_t heap_before = mallinfo2().uordblks;
  for (long i = 0; i < count; ++i) {
    blocks[i] = std::malloc(16);
    fill_usable(blocks[i], 16, static_cast<int>(i));
  }
  const double heap = static_cast<double>(mallinfo2().uordblks - heap_before);
  std::printf("heap %.0f bytes a 16-byte block\n", heap / static_cast<double>(count));
  long page_aligned = 0;
  for (long i = 0; i < count; ++i)
    page_aligned += reinterpret_cast<std::uintptr_t>(blocks[i]) % 4096 == 0;
  for (long start = 0; start < 7; ++start)
    for (long i = start; i < count; i += 7)
      std::free(blocks[i]);
  std::free(blocks);
  std::printf("live %ld freed%s\n", count, page_aligned > 0 ? ", some page-aligned" : "");
}

// Nine aligned blocks, each checked and freed: 8 and 16 (header), 32, 64, 4096 (side table).
PLANT void plant_aligned() {
  void* blocks[9] = {};
  blocks[0] = memalign(8, 40);
  blocks[1] = memalign(16, 40);
  blocks[2] = memalign(32, 40);
  blocks[3] = aligned_alloc(64, 128);
  blocks[4] = memalign(4096, 40);
  expect(posix_memalign(&blocks[5], 16, 40) == 0, "posix_memalign 16");
  expect(posix_memalign(&blocks[6], 256, 40) == 0, "posix_memalign 256");
  blocks[7] = valloc(40);
  blocks[8] = pvalloc(40);
  const std::size_t alignments[9] = {8, 16, 32, 64, 4096, 16, 256, 4096, 4096};
  for (int i = 0; i < 9; ++i) {
    expect(blocks[i] && aligned(blocks[i], alignments[i]), "aligned block");
    fill_usable(blocks[i], 40, i);
  }
  void* invalid = nullptr;
  expect(posix_memalign(&invalid, 24, 40) == EINVAL && !invalid, "posix_memalign 24 is EINVAL");
  for (void* block : blocks)
    std::free(block);
  std::printf("aligned 9 freed\n");
}

// 100 000 live blocks of alignment 32 to 4096 from all four aligned functions, every usable byte written,
// freed in another order but for 250 leaks of 64 bytes each: exact counts and bytes, books in no table.
PLANT void plant_aligned_many(long count) {
  void** blocks = static_cast<void**>(std::malloc(sizeof(void*) * static_cast<std::size_t>(count)));
  for (long i = 0; i < count; ++i) {
    const std::size_t size = 64 + static_cast<std::size_t>(i % 16) * 16;
    switch (i % 4) {
      case 0:
        blocks[i] = aligned_alloc(64, size);
        break;
      case 1:
        expect(posix_memalign(&blocks[i], 32, size) == 0, "posix_memalign 32");
        break;
      case 2:
        blocks[i] = memalign(i % 1000 == 2 ? 4096 : 128, size);
        break;
      default:
        blocks[i] = valloc(size);
    }
    expect(blocks[i] && aligned(blocks[i], i % 4 == 3 ? 4096 : 32), "aligned block");
    fill_usable(blocks[i], size, static_cast<int>(i));
  }
  for (long start = 0; start < 7; ++start)
    for (long i = start; i < count; i += 7)
      if (i % 400 != 0) std::free(blocks[i]);  // i % 400 == 0 leaks: aligned_alloc(64, 64)
  std::free(blocks);
  std::printf("aligned many %ld freed\n", count);
}

// realloc keeps contents through growth, shrinking and moves; realloc(p, 0) frees; calloc is zero.
PLANT void plant_realloc() {
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // 4 MiB: a mapping of its own, whatever came before
  auto* p = static_cast<unsigned char*>(std::calloc(100, 1));
  bool zero = true;
  for (int i = 0; i < 100; ++i)
    zero = zero && p[i] == 0;
  expect(zero, "calloc zeroed");
  for (int i = 0; i < 100; ++i)
    p[i] = static_cast<unsigned char>(i);
  for (std::size_t size = 200; size <= 200000; size *= 10) {
    p = static_cast<unsigned char*>(std::realloc(p, size));
    expect(malloc_usable_size(p) >= size, "malloc_usable_size below the size asked");
    std::memset(p + 100, 7, malloc_usable_size(p) - 100);
  }
  p = static_cast<unsigned char*>(std::realloc(p, 4 << 20));  // above the top of the heap: a mapping
  std::memset(p + 100, 8, malloc_usable_size(p) - 100);
  // Shrunk: glibc keeps a block of its own mapping in a page of it, thousands of bytes past its new size.
  p = static_cast<unsigned char*>(std::realloc(p, 50));
  bool kept = true;
  for (int i = 0; i < 50; ++i)
    kept = kept && p[i] == i;
  expect(kept, "realloc kept the contents");
  // An aligned block resized: it becomes an ordinary one with the same contents.
  auto* q = static_cast<unsigned char*>(memalign(64, 64));
  std::memset(q, 9, 64);
  q = static_cast<unsigned char*>(std::realloc(q, 5000));
  expect(q[0] == 9 && q[63] == 9, "realloc of an aligned block kept the contents");
  errno = 0;
  expect(std::realloc(q, 0) == nullptr, "realloc(p, 0) frees");
  std::free(p);
  std::printf("realloc kept\n");
}

// Ten leaks of 100 bytes: 8 with a header, one aligned, one page-aligned. Each address goes to a volatile
// sink: clang removes an allocation whose pointer is only compared with null.
void* volatile g_leak_sink;

PLANT void plant_leak() {
  for (int i = 0; i < 8; ++i) {
    g_leak_sink = std::malloc(100);
    std::printf("%s", g_leak_sink ? "" : "wrong: leak\n");
  }
  g_leak_sink = memalign(128, 100);
  std::printf("%s", g_leak_sink ? "" : "wrong: leak\n");
  g_leak_sink = valloc(100);
  std::printf("%s", g_leak_sink ? "" : "wrong: leak\n");
}

// Blocks of the early library (allocated before the tracer): measured, resized and freed as they came.
PLANT void plant_early() {
  void** blocks = nullptr;
  std::size_t* sizes = nullptr;
  int count = early_blocks(&blocks, &sizes);
  for (int i = 0; i < count; ++i) {
    auto* bytes = static_cast<unsigned char*>(blocks[i]);
    expect(bytes[0] == i && bytes[sizes[i] - 1] == i, "early block contents");
    fill_usable(blocks[i], sizes[i], i);
    if (i % 2 == 1) {
      bytes = static_cast<unsigned char*>(std::realloc(blocks[i], sizes[i] * 3));
      expect(bytes && bytes[sizes[i] - 1] == i, "early block resized");
      blocks[i] = bytes;
    }
    std::free(blocks[i]);
  }
  std::printf("early %d freed\n", count);
}

// The fork child frees blocks of its parent (their books are the parent's) and plants two of its own.
PLANT void plant_child(void** parent_blocks, int count) {
  for (int i = 0; i < count; ++i)
    std::free(parent_blocks[i]);
  void* a = std::malloc(30);
  void* b = memalign(64, 30);
  fill_usable(a, 30, 1);
  fill_usable(b, 30, 2);
}

PLANT void plant_parent(void** blocks, int count) {
  for (int i = 0; i < count; ++i)
    blocks[i] = i % 2 ? std::malloc(48) : memalign(4096, 48);
}

static void print_offset(const char* name, void* fn) {
  Dl_info info;
  dladdr(fn, &info);
  std::printf("%s %lu\n", name,
              static_cast<unsigned long>(reinterpret_cast<char*>(fn) - static_cast<char*>(info.dli_fbase)));
}

int main(int argc, char** argv) {
#define OFFSET(f) print_offset(#f, reinterpret_cast<void*>(&f))
  OFFSET(plant_live);
  OFFSET(plant_aligned);
  OFFSET(plant_aligned_many);
  OFFSET(plant_realloc);
  OFFSET(plant_leak);
  OFFSET(plant_early);
  OFFSET(plant_child);
  OFFSET(plant_parent);
  OFFSET(print_offset);
  OFFSET(main);
  long live = argc > 1 ? std::atol(argv[1]) : 1000000;
  plant_live(live);
  plant_aligned();
  plant_aligned_many(100000);
  plant_realloc();
  plant_early();
  void* parent_blocks[20];
  plant_parent(parent_blocks, 20);
  std::fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    plant_child(parent_blocks, 20);
    std::fflush(stdout);
    _exit(g_failures == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  std::printf("child %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "clean" : "wrong");
  for (void* block : parent_blocks)
    std::free(block);
  plant_leak();
  std::printf("failures %d\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
