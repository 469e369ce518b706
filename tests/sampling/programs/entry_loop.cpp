// Samples at a function's first instruction (tests/sampling/sampling_test.cpp). A chain of square roots runs
// in a loop laid across two functions: sqrt_step's last instruction, the slow one, falls through into
// entry_loop, whose two instructions jump back to it. An interrupted thread resumes after the slow
// instruction, so samples land on entry_loop's first byte; looked up one byte too low, as a return address
// is, they would land in sqrt_step.
//
//   entry_loop [CPU_SECONDS]
#include <time.h>

#include <cstdio>
#include <cstdlib>

asm(R"(
  .text
  .globl sqrt_step
  .type sqrt_step, @function
sqrt_step:
  .cfi_startproc
  sqrtsd %xmm0, %xmm0
  .cfi_endproc
  .size sqrt_step, .-sqrt_step
  .globl entry_loop
  .type entry_loop, @function
entry_loop:
  .cfi_startproc
  dec %rdi
  jnz sqrt_step
  ret
  .cfi_endproc
  .size entry_loop, .-entry_loop
)");

extern "C" void entry_loop(long count, double x);

namespace {

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  const double end = thread_cpu_seconds() + seconds;
  long rounds = 0;
  while (thread_cpu_seconds() < end) {
    entry_loop(200000, 2.0);
    ++rounds;
  }
  std::printf("%ld rounds\n", rounds);
  return 0;
}
