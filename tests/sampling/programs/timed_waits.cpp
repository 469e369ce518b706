// Timed waits that must time out, never fail: sem_timedwait on a semaphore nobody posts (ETIMEDOUT) and
// sigtimedwait for a blocked SIGUSR2 nobody sends (EAGAIN), 20 ms each, 10 times, while a thread burns CPU.
// Prints the counts; under wall-clock sampling a sample cuts each wait short many times over.
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <cstdio>

namespace {

std::atomic<bool> g_stop{false};
volatile double g_sink = 0;

void* burner(void*) {
  double x = 0;
  while (!g_stop.load(std::memory_order_relaxed))
    for (int i = 0; i < 10000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
  return nullptr;
}

}  // namespace

int main() {
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, nullptr);
  pthread_t thread;
  if (pthread_create(&thread, nullptr, burner, nullptr) != 0) return 2;
  sem_t semaphore;
  sem_init(&semaphore, 0, 0);
  int timeouts = 0, failures = 0;
  for (int i = 0; i < 10; ++i) {
    timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
    if (sem_timedwait(&semaphore, &deadline) == -1 && errno == ETIMEDOUT)
      ++timeouts;
    else
      ++failures;
    timespec wait{0, 20000000};
    if (sigtimedwait(&usr2, nullptr, &wait) == -1 && errno == EAGAIN)
      ++timeouts;
    else
      ++failures;
  }
  g_stop = true;
  pthread_join(thread, nullptr);
  std::printf("timeouts %d failures %d\n", timeouts, failures);
  return failures == 0 ? 0 : 1;
}
