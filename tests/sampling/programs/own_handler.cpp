// A program that handles the realtime signal the sampler uses (SIGRTMAX-4) itself, while a second thread
// burns CPU: it must see SIG_DFL as the previous action, as without prof, and its handler must never get the
// sampler's timer signals. It prints what it saw; the plain run and the run under the shim must agree.
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cstdio>

namespace {

std::atomic<int> g_timer_signals{0};
std::atomic<int> g_own_signals{0};
std::atomic<bool> g_stop{false};
volatile double g_sink = 0;

void on_signal(int, siginfo_t* info, void*) {
  if (info->si_code == SI_TIMER)
    g_timer_signals.fetch_add(1);
  else
    g_own_signals.fetch_add(1);
}

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void burn(double seconds) {
  double end = thread_cpu_seconds() + seconds;
  double x = 0;
  while (thread_cpu_seconds() < end)
    for (int i = 0; i < 10000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
}

void* burner(void*) {
  while (!g_stop.load())
    burn(0.01);
  return nullptr;
}

}  // namespace

int main() {
  pthread_t thread;
  pthread_create(&thread, nullptr, burner, nullptr);
  burn(0.1);  // sampled, if the shim samples
  struct sigaction action {
  }, previous{};
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGRTMAX - 4, &action, &previous) != 0) return 2;
  const bool was_default = !(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_DFL;
  burn(0.3);
  raise(SIGRTMAX - 4);
  g_stop = true;
  pthread_join(thread, nullptr);
  std::printf("previous action default %d, timer signals %d, own signals %d\n", was_default ? 1 : 0,
              g_timer_signals.load(), g_own_signals.load());
  return 0;
}
