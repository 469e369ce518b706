// Planted CPU shares: three threads each spend a known amount of their own CPU time in one function,
// burn_sixty 60 %, burn_thirty 30 %, burn_ten 10 % of the CPU time the program uses (argv[1]: total CPU
// seconds, default 1.5; argv[2] "fork": a fork child does it while the parent waits). Measured on each
// thread's CPU clock, so the shares hold however loaded the machine.
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

volatile double g_sink = 0;

// The clock is read every ~50 000 additions so that time in clock_gettime stays a small part of the total.
extern "C" __attribute__((noinline)) void burn(double seconds) {
  double end = thread_cpu_seconds() + seconds;
  double x = g_sink;
  while (thread_cpu_seconds() < end)
    for (int i = 0; i < 50000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
}

double g_total = 1.5;

extern "C" __attribute__((noinline)) void* burn_sixty(void*) {
  burn(0.6 * g_total);
  g_sink = g_sink + 1;  // no tail call: the function stays on the stack
  return nullptr;
}
extern "C" __attribute__((noinline)) void* burn_thirty(void*) {
  burn(0.3 * g_total);
  g_sink = g_sink + 1;
  return nullptr;
}
extern "C" __attribute__((noinline)) void* burn_ten(void*) {
  burn(0.1 * g_total);
  g_sink = g_sink + 1;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_total = std::atof(argv[1]);
  if (argc > 2 && std::strcmp(argv[2], "fork") == 0) {
    pid_t child = fork();
    if (child < 0) return 3;
    if (child > 0) {
      int status = 0;
      waitpid(child, &status, 0);
      return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
    }
  }
  pthread_t threads[3];
  void* (*functions[3])(void*) = {burn_sixty, burn_thirty, burn_ten};
  for (int i = 0; i < 3; ++i)
    if (pthread_create(&threads[i], nullptr, functions[i], nullptr) != 0) return 2;
  for (auto& thread : threads)
    pthread_join(thread, nullptr);
  std::printf("planted %.3f s of CPU: 60 %% / 30 %% / 10 %%\n", g_total);
  return 0;
}
