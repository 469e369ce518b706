// Eight threads allocating at once (issue 13): each keeps a ring of 4096 live blocks of 16 B to 2 KiB and
// replaces one per step, from three call paths, as the worker threads of a server or a task pool would.
//
//   threads8 [STEPS_PER_THREAD]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 8;
constexpr int kRing = 4096;

__attribute__((noinline)) char* make_buffer(std::size_t size) {
  auto* p = static_cast<char*>(std::malloc(size));
  p[0] = 1;
  return p;
}

__attribute__((noinline)) std::string* make_string(unsigned seed) {
  return new std::string(24 + seed % 100, static_cast<char>('a' + seed % 26));
}

__attribute__((noinline)) long work(long steps, unsigned seed) {
  std::vector<char*> buffers(kRing, nullptr);
  std::vector<std::string*> strings(kRing, nullptr);
  long sum = 0;
  for (long i = 0; i < steps; ++i) {
    seed = seed * 1103515245u + 12345u;
    std::size_t slot = (seed >> 8) % kRing;
    if (i & 1) {
      delete strings[slot];
      strings[slot] = make_string(seed >> 12);
      sum += static_cast<long>(strings[slot]->size());
    } else {
      std::free(buffers[slot]);
      buffers[slot] = make_buffer(16 + (seed >> 16) % 2048);
      sum += buffers[slot][0];
    }
  }
  for (char* b : buffers)
    std::free(b);
  for (std::string* s : strings)
    delete s;
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  long steps = argc > 1 ? std::atol(argv[1]) : 500000;
  std::vector<long> sums(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back(
        [&, t] { sums[static_cast<std::size_t>(t)] = work(steps, 17u * static_cast<unsigned>(t) + 1u); });
  for (std::thread& t : threads)
    t.join();
  long total = 0;
  for (long s : sums)
    total += s;
  std::printf("%ld\n", total);
  return 0;
}
