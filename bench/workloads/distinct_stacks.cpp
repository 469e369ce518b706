// 100 000+ distinct call stacks (issue 13): seven levels of a template, each calling the next from one of
// seven call sites chosen by a digit of the counter, so the leaf's allocation is reached through 7^6 = 117
// 649 different return-address chains (the template-heavy program's pattern: few functions, many paths).
// Every pass allocates once per path and keeps the blocks until the pass ends. By default every pass takes
// the paths in the same order (a program that repeats its work); `shuffled` takes them in a new random order
// each pass, so that no pass repeats the sequence of stacks of the one before.
//
//   distinct_stacks [PASSES] [shuffled]
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kLevels = 6;
constexpr int kWays = 7;

volatile long g_sink;

template <int Level>
__attribute__((noinline)) void* path(const int* digits, std::size_t size);

// Distinct code after each call: the seven calls have seven return addresses (no tail merging).
#define PROF_WAY(k)                              \
  case k:                                        \
    block = path<Level + 1>(digits, size + (k)); \
    g_sink = g_sink + (k);                       \
    break;

template <int Level>
__attribute__((noinline)) void* path(const int* digits, std::size_t size) {
  if constexpr (Level == kLevels) {
    return std::malloc(size);
  } else {
    void* block = nullptr;
    switch (digits[Level]) {
      PROF_WAY(0)
      PROF_WAY(1)
      PROF_WAY(2)
      PROF_WAY(3)
      PROF_WAY(4)
      PROF_WAY(5)
      default:
        block = path<Level + 1>(digits, size + 6);
        g_sink = g_sink + 6;
    }
    return block;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int passes = argc > 1 ? std::atoi(argv[1]) : 4;
  int paths = 1;
  for (int i = 0; i < kLevels; ++i)
    paths *= kWays;
  void** held = static_cast<void**>(std::malloc(sizeof(void*) * static_cast<std::size_t>(paths)));
  bool shuffled = argc > 2 && std::strcmp(argv[2], "shuffled") == 0;
  int* order = static_cast<int*>(std::malloc(sizeof(int) * static_cast<std::size_t>(paths)));
  for (int p = 0; p < paths; ++p)
    order[p] = p;
  unsigned long long random = 88172645463325252ull;  // xorshift64: the same orders in every run
  long total = 0;
  for (int pass = 0; pass < passes; ++pass) {
    for (int i = paths - 1; shuffled && i > 0; --i) {
      random ^= random << 13;
      random ^= random >> 7;
      random ^= random << 17;
      int j = static_cast<int>(random % static_cast<unsigned long long>(i + 1));
      int swapped = order[i];
      order[i] = order[j];
      order[j] = swapped;
    }
    for (int q = 0; q < paths; ++q) {
      int p = order[q];
      int digits[kLevels];
      for (int i = 0, rest = p; i < kLevels; ++i, rest /= kWays)
        digits[i] = rest % kWays;
      held[p] = path<0>(digits, 16);
      total += reinterpret_cast<long>(held[p]) & 1;
    }
    for (int p = 0; p < paths; ++p)
      std::free(held[p]);
  }
  std::free(held);
  std::free(order);
  std::printf("%d paths, %ld\n", paths, total);
  return 0;
}
