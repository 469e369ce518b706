/* The memory tracer's cost per allocation, robust to a loaded machine: the best of 15 repetitions of a
 * million malloc/free pairs (16 to 271 bytes), freed at once ("pair") or after 1000 others ("batch"), in ns a
 * pair. Run plain, under the shim with the tracer off (PROF_MEMORY=0: the interposition alone), sampled
 * (PROF_MEMORY_SAMPLE=524288) and exact; docs/PERFORMANCE.md, "Sampled mode". With the argument `aligned`,
 * 20 blocks of 4 MiB aligned to 64 bytes stay live throughout: sampled (almost surely, at 512 KiB) and
 * kept in the tracer's side table, as a program's long-lived aligned arrays would be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void* volatile sink;
static void* live[1000];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  const int n = 1000000;
  static void* kept[20];
  if (argc > 1 && strcmp(argv[1], "aligned") == 0)
    for (int i = 0; i < 20; ++i)
      kept[i] = aligned_alloc(64, 4 << 20);
  double pair = 1e9, batch = 1e9;
  for (int rep = 0; rep < 15; ++rep) {
    double start = now();
    for (int i = 0; i < n; ++i) {
      void* p = malloc(16 + (i & 255));
      sink = p;
      free(p);
    }
    double t = now() - start;
    if (t < pair) pair = t;
    start = now();
    for (int i = 0; i < n / 1000; ++i) {
      for (int j = 0; j < 1000; ++j)
        live[j] = malloc(16 + ((i + j) & 255));
      for (int j = 0; j < 1000; ++j)
        free(live[j]);
    }
    t = now() - start;
    if (t < batch) batch = t;
  }
  printf("pair %.1f ns  batch %.1f ns\n", pair / n * 1e9, batch / n * 1e9);
  for (int i = 0; i < 20; ++i)
    free(kept[i]);
  return 0;
}
