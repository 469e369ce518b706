// Half asleep, half spinning: the main thread alternates spin_half (argv[2] seconds of real time, default
// 0.05, busy) and sleep_half (as long, asleep in clock_nanosleep), argv[1] rounds (default 20). Both halves
// are measured on the monotonic clock, so they stay halves of the real time however loaded the machine. On
// the CPU clock only spin_half has samples; on the wall clock each has about half, sleep_half's waiting.
#include <time.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

volatile double g_sink = 0;

double seconds_of(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

extern "C" __attribute__((noinline)) void spin_half(double seconds) {
  const double end = seconds_of(CLOCK_MONOTONIC) + seconds;
  double x = g_sink;
  while (seconds_of(CLOCK_MONOTONIC) < end)
    for (int i = 0; i < 20000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
}

// To an absolute deadline, so a signal that cuts the sleep short (EINTR) never shortens it.
extern "C" __attribute__((noinline)) void sleep_half(double seconds) {
  timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  const long ns = static_cast<long>(seconds * 1e9) + deadline.tv_nsec;
  deadline.tv_sec += ns / 1000000000L;
  deadline.tv_nsec = ns % 1000000000L;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
  g_sink = g_sink + 1;  // no tail call: the function stays on the stack
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
  const double half = argc > 2 ? std::atof(argv[2]) : 0.05;
  for (int i = 0; i < rounds; ++i) {
    spin_half(half);
    sleep_half(half);
  }
  std::printf("%d rounds of %.3f s spinning and %.3f s asleep\n", rounds, half, half);
  return 0;
}
