// The floor of any LD_PRELOAD memory tool (issue 13, sampled mode): malloc, free, calloc and realloc
// interposed and forwarded to the next definition (glibc's), nothing else. bench/real_workloads.sh runs it as
// its `noop` column (PROF_FLOOR=1): what a program pays for its allocator calls going through a preloaded
// library at all, before any tool does anything with them.
//
//   cc -O2 -shared -fPIC -o noop_interposer.so bench/real/noop_interposer.c -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

static void* (*next_malloc)(size_t);
static void (*next_free)(void*);
static void* (*next_calloc)(size_t, size_t);
static void* (*next_realloc)(void*, size_t);

// dlsym may allocate before the real functions are known: those few blocks come from here, never freed.
static char bootstrap[4096] __attribute__((aligned(16)));
static size_t bootstrap_used;

static void* from_bootstrap(size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (bootstrap_used + size > sizeof bootstrap) return NULL;
  void* block = bootstrap + bootstrap_used;
  bootstrap_used += size;
  return block;
}

static int in_bootstrap(const void* block) {
  return (const char*)block >= bootstrap && (const char*)block < bootstrap + sizeof bootstrap;
}

static int resolving;

__attribute__((constructor)) static void resolve(void) {
  if (next_free || resolving) return;
  resolving = 1;
  next_calloc = (void* (*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
  next_malloc = (void* (*)(size_t))dlsym(RTLD_NEXT, "malloc");
  next_free = (void (*)(void*))dlsym(RTLD_NEXT, "free");
  next_realloc = (void* (*)(void*, size_t))dlsym(RTLD_NEXT, "realloc");
  resolving = 0;
}

void* malloc(size_t size) {
  if (!next_malloc) resolve();
  if (!next_malloc) return from_bootstrap(size);
  return next_malloc(size);
}

void free(void* block) {
  if (in_bootstrap(block)) return;
  if (!next_free) resolve();
  next_free(block);
}

void* calloc(size_t count, size_t size) {
  if (!next_calloc) resolve();
  if (!next_calloc) return count && size > ((size_t)-1) / count ? NULL : from_bootstrap(count * size);
  return next_calloc(count, size);
}

void* realloc(void* block, size_t size) {
  if (in_bootstrap(block)) {
    void* moved = malloc(size);
    size_t room = (size_t)(bootstrap + sizeof bootstrap - (char*)block);
    if (moved) memcpy(moved, block, size < room ? size : room);
    return moved;
  }
  if (!next_realloc) resolve();
  return next_realloc(block, size);
}
