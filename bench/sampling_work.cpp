// Fixed CPU-bound work for bench/sampling_bench.sh: two threads each run the same number of rounds of a
// floating-point loop a few calls deep (argv[1]: rounds, default 400). Its CPU time plain and under the
// sampler is the sampler's cost.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>

namespace {

long g_rounds = 400;
volatile double g_sink = 0;

__attribute__((noinline)) double inner(double x) {
  for (int i = 0; i < 100000; ++i)
    x = x * 1.0000001 + 1.0;
  return x;
}

__attribute__((noinline)) double middle(double x) {
  return inner(x) + 1.0;
}

void* work(void*) {
  double x = 0;
  for (long r = 0; r < g_rounds * 10; ++r)
    x = middle(x);
  g_sink = x;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_rounds = std::atol(argv[1]);
  pthread_t threads[2];
  for (auto& thread : threads)
    pthread_create(&thread, nullptr, work, nullptr);
  for (auto& thread : threads)
    pthread_join(thread, nullptr);
  std::printf("%g\n", static_cast<double>(g_sink));
  return 0;
}
