/* A large live heap: 2 000 000 live 16-byte blocks from one call site, then freed in another order (every
 * seventh index first, as a solver freeing a mesh out of order would). Built by bench/real_workloads.sh. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  long count = argc > 1 ? atol(argv[1]) : 2000000;
  void** blocks = malloc(sizeof(void*) * (size_t)count);
  if (!blocks) return 1;
  for (long i = 0; i < count; ++i) {
    blocks[i] = malloc(16);
    if (!blocks[i]) return 1;
    *(long*)blocks[i] = i;
  }
  long sum = 0;
  for (long start = 0; start < 7; ++start)
    for (long i = start; i < count; i += 7) {
      sum += *(long*)blocks[i];
      free(blocks[i]);
    }
  free(blocks);
  printf("%ld\n", sum);
  return 0;
}
