// Built twice, as libreused_a.so (LIB_NAME a) and libreused_b.so (LIB_NAME b): the same code under other
// names, so both libraries have the same size and layout and the loader tends to map the second one where
// the first was, once it is closed (reused_range.cpp).
#include <stdlib.h>
#include <time.h>

#define JOIN2(a, b) a##b
#define JOIN(a, b) JOIN2(a, b)

static double thread_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// Burns `seconds` of this thread's CPU time, nearly all of it in this function's loop.
__attribute__((noinline)) double JOIN(spin_in_lib_, LIB_NAME)(double seconds) {
  volatile double x = 1.0;
  double end = thread_seconds() + seconds;
  while (thread_seconds() < end)
    for (int i = 0; i < 2000000; ++i)
      x = x * 1.0000001 + 1e-9;
  return x;
}

// Leaks `count` blocks of `size` bytes, allocated here.
__attribute__((noinline)) void* JOIN(leak_in_lib_, LIB_NAME)(int count, size_t size) {
  void* last = 0;
  for (int i = 0; i < count; ++i) {
    last = malloc(size);
    *(volatile char*)last = 1;
  }
  return last;
}
