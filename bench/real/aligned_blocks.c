/* Blocks aligned to a cache line, as SIMD codes and C++ types declared alignas(64) get them (posix_memalign,
 * aligned_alloc, operator new with align_val_t): a ring of 200 000 live blocks of 64-1072 bytes, each slot
 * freed and allocated again in a random order, COUNT times. The tracer keeps such blocks' books in its side
 * table, not in a header. Built by bench/real_workloads.sh. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  long count = argc > 1 ? atol(argv[1]) : 2000000;
  enum { kLive = 200000 };
  void** ring = calloc(kLive, sizeof(void*));
  if (!ring) return 1;
  unsigned long x = 1;
  long sum = 0;
  for (long i = 0; i < count; ++i) {
    x = x * 6364136223846793005ul + 1442695040888963407ul;
    long k = (long)((x >> 33) % kLive);
    if (ring[k]) sum += *(char*)ring[k];
    free(ring[k]);
    if (posix_memalign(&ring[k], 64, 64 + (x >> 58) * 16) != 0) return 1;
    *(char*)ring[k] = (char)i;
  }
  for (long k = 0; k < kLive; ++k)
    free(ring[k]);
  free(ring);
  printf("%ld\n", sum);
  return 0;
}
