// Spins on clock_gettime(CLOCK_MONOTONIC) for SECONDS of CPU time: nearly every sample lands in the vDSO,
// which has no file (viewer/symbolise/vdso.hpp names its frames).
#include <time.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  timespec start{}, now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
  double elapsed = 0;
  long calls = 0;
  while (elapsed < seconds) {
    // Many vDSO calls per check of the process clock (a system call, not the vDSO).
    for (int i = 0; i < 100000; ++i) {
      timespec t;
      clock_gettime(CLOCK_MONOTONIC, &t);
      calls += t.tv_nsec & 1;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    elapsed = static_cast<double>(now.tv_sec - start.tv_sec) +
              1e-9 * static_cast<double>(now.tv_nsec - start.tv_nsec);
  }
  std::printf("odd readings %ld\n", calls);
  return 0;
}
