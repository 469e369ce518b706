// Threads that run, then wait (tests/sampling/sampling_test.cpp, "Waiting threads..."): each of argv[1]
// threads (default 40) burns argv[2] ms of CPU (default 30: long enough for the sampler to be on its
// monotonic timer), then blocks on a condition variable until main wakes them all, argv[3] ms (default 2000)
// after the last one started waiting. Over that time main counts each waiting thread's voluntary context
// switches (/proc/self/task/TID/status): a thread asleep makes none unless something wakes it, so they are
// the wake-ups the sampler's signal cost. Prints "waits THREADS wakeups TOTAL most MAX cpu SECONDS" (the
// process's CPU time over the wait).
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex g_lock;
std::condition_variable g_wake;
bool g_go = false;
int g_ready = 0;
volatile double g_sink = 0;

double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// A thread's voluntary context switches so far.
long voluntary_switches(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/status", static_cast<int>(tid));
  FILE* status = std::fopen(path, "r");
  if (!status) return -1;
  char line[256];
  long switches = -1;
  while (std::fgets(line, sizeof line, status))
    if (std::strncmp(line, "voluntary_ctxt_switches:", 24) == 0) switches = std::atol(line + 24);
  std::fclose(status);
  return switches;
}

__attribute__((noinline)) void burn(double ms) {
  double end = thread_cpu_ms() + ms;
  double x = g_sink;
  while (thread_cpu_ms() < end)
    for (int i = 0; i < 20000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 40;
  const double burn_ms = argc > 2 ? std::atof(argv[2]) : 30;
  const int wait_ms = argc > 3 ? std::atoi(argv[3]) : 2000;
  std::vector<pid_t> tids(static_cast<std::size_t>(count));
  std::vector<std::thread> threads;
  for (int t = 0; t < count; ++t)
    threads.emplace_back([&, t] {
      burn(burn_ms);
      std::unique_lock<std::mutex> hold(g_lock);
      tids[static_cast<std::size_t>(t)] = gettid();
      ++g_ready;
      g_wake.wait(hold, [] { return g_go; });
    });
  for (;;) {  // every thread waiting before the wait is timed
    {
      std::lock_guard<std::mutex> hold(g_lock);
      if (g_ready == count) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the last one is asleep
  std::vector<long> switches(static_cast<std::size_t>(count));
  for (int t = 0; t < count; ++t)
    switches[static_cast<std::size_t>(t)] = -voluntary_switches(tids[static_cast<std::size_t>(t)]);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  for (int t = 0; t < count; ++t)
    switches[static_cast<std::size_t>(t)] += voluntary_switches(tids[static_cast<std::size_t>(t)]);
  {
    std::lock_guard<std::mutex> hold(g_lock);
    g_go = true;
  }
  g_wake.notify_all();
  for (auto& thread : threads)
    thread.join();
  long total = 0, most = 0;
  for (long s : switches) {
    total += s;
    most = s > most ? s : most;
  }
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  const double cpu =
      seconds(after.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_utime) - seconds(before.ru_stime);
  std::printf("waits %d wakeups %ld most %ld cpu %.4f\n", count, total, most, cpu);
  return 0;
}
