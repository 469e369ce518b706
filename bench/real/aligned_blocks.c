/* Blocks aligned to a cache line, as SIMD codes and C++ types declared alignas(64) get them (posix_memalign,
 * aligned_alloc, operator new with align_val_t): a ring of 200 000 live blocks of 64-1072 bytes, each slot
 * freed and allocated again in a random order, COUNT times. With THREADS, each thread runs its own ring of
 * 200 000 / THREADS blocks, COUNT / THREADS times (an OpenMP team's scratch arrays). The tracer keeps such
 * blocks' books in a trailer at their end, not in a header. Built by bench/real_workloads.sh.
 *
 *   aligned_blocks [COUNT] [THREADS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kLive = 200000, kMaxThreads = 64 };

struct Ring {
  long live;
  long count;
  unsigned long seed;
  long sum;
};

static void* replace_blocks(void* arg) {
  struct Ring* r = arg;
  void** ring = calloc((size_t)r->live, sizeof(void*));
  if (!ring) exit(1);
  unsigned long x = r->seed;
  for (long i = 0; i < r->count; ++i) {
    x = x * 6364136223846793005ul + 1442695040888963407ul;
    long k = (long)((x >> 33) % (unsigned long)r->live);
    if (ring[k]) r->sum += *(char*)ring[k];
    free(ring[k]);
    if (posix_memalign(&ring[k], 64, 64 + (x >> 58) * 16) != 0) exit(1);
    *(char*)ring[k] = (char)i;
  }
  for (long k = 0; k < r->live; ++k)
    free(ring[k]);
  free(ring);
  return NULL;
}

int main(int argc, char** argv) {
  long count = argc > 1 ? atol(argv[1]) : 2000000;
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  if (threads < 1 || threads > kMaxThreads) return 2;
  struct Ring rings[kMaxThreads];
  pthread_t ids[kMaxThreads];
  for (int t = 0; t < threads; ++t) {
    rings[t] = (struct Ring){kLive / threads, count / threads, 1 + 7919ul * (unsigned long)t, 0};
    if (threads == 1)
      replace_blocks(&rings[t]);
    else if (pthread_create(&ids[t], NULL, replace_blocks, &rings[t]) != 0)
      return 1;
  }
  long sum = 0;
  for (int t = 0; t < threads; ++t) {
    if (threads > 1) pthread_join(ids[t], NULL);
    sum += rings[t].sum;
  }
  printf("%ld\n", sum);
  return 0;
}
