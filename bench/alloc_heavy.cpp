// The allocation-heavy program the memory tracer is measured on (docs/PERFORMANCE.md, "Memory tracer"):
// ten million malloc/free pairs of mixed sizes behind a ten-deep call chain, vector and string churn, a 64
// MiB burst and some leaks. Built -O2 -g without frame pointers, as release builds are.
//
//   alloc_heavy [PAIRS] [MODE]
// MODE "serial2" runs the pairs as two halves one after the other on one thread, "threads2" runs the same two
// halves on two threads at once (the tracer's scaling check); both skip the churn, burst and leaks.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile unsigned long g_sink;
// Per thread: one shared sink written by both threads of `threads2` would time false sharing, not the tracer.
thread_local volatile unsigned long tl_sink;

// Ten frames deep, none inlined, so every allocation has a real stack to unwind.
template <int Depth>
__attribute__((noinline)) void chain(long pairs, unsigned seed) {
  if constexpr (Depth == 0) {
    for (long i = 0; i < pairs; ++i) {
      seed = seed * 1103515245u + 12345u;
      std::size_t size = 16 + (seed >> 16) % 1024;  // 16 B to 1 KiB
      auto* p = static_cast<unsigned char*>(std::malloc(size));
      p[0] = static_cast<unsigned char>(i);
      asm volatile("" : : "r"(p) : "memory");  // the block escapes: the compiler may not elide the pair
      tl_sink = tl_sink + p[0];
      std::free(p);
    }
  } else {
    chain<Depth - 1>(pairs, seed + Depth);
    asm volatile("" ::: "memory");
  }
}

__attribute__((noinline)) void churn(int rounds) {
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::string> words;
    for (int i = 0; i < 1000; ++i)
      words.push_back(std::string(24 + i % 40, static_cast<char>('a' + i % 26)));
    g_sink = g_sink + words.size();
  }
}

__attribute__((noinline)) void burst() {
  std::vector<char> big(64 << 20);
  std::memset(big.data(), 1, big.size());
  g_sink = g_sink + static_cast<unsigned char>(big[12345]);
}

__attribute__((noinline)) void leak(int blocks) {
  for (int i = 0; i < blocks; ++i)
    g_sink = g_sink + reinterpret_cast<unsigned long>(std::malloc(100 + i));
}

}  // namespace

int main(int argc, char** argv) {
  long pairs = argc > 1 ? std::atol(argv[1]) : 10000000;
  const char* mode = argc > 2 ? argv[2] : "";
  if (std::strcmp(mode, "serial2") == 0) {
    chain<10>(pairs / 2, 1);
    chain<10>(pairs - pairs / 2, 2);
    std::printf("%ld pairs done on one thread\n", pairs);
    return 0;
  }
  if (std::strcmp(mode, "threads2") == 0) {
    std::thread second([pairs] { chain<10>(pairs - pairs / 2, 2); });
    chain<10>(pairs / 2, 1);
    second.join();
    std::printf("%ld pairs done on two threads\n", pairs);
    return 0;
  }
  chain<10>(pairs, 1);
  churn(200);
  burst();
  leak(100);
  std::printf("%ld pairs done\n", pairs);
  return 0;
}
