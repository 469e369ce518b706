// A program with POSIX timers of its own (timer_create) on every clock and notification the sampler's timers
// could be confused with: a process CPU-time timer (SIGRTMIN+2), a thread CPU-time timer sent to a worker
// thread (SIGEV_THREAD_ID, SIGRTMAX-5, next to the sampler's SIGRTMAX-4), a monotonic timer (SIGUSR1) and a
// SIGEV_THREAD timer, while two threads burn CPU. Under `prof run` it must print and return what it does
// plain (tests/sampling/timers_test.cpp).
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <initializer_list>

namespace {

std::atomic<int> g_process_cpu{0}, g_worker_cpu{0}, g_monotonic{0}, g_thread_notify{0};
std::atomic<int> g_worker_tid{0};
std::atomic<bool> g_wrong_thread{false};
volatile double g_sink = 0;

void on_signal(int signal, siginfo_t* info, void*) {
  if (info->si_code != SI_TIMER) return;
  if (signal == SIGRTMIN + 2) g_process_cpu.fetch_add(1 + info->si_overrun);
  if (signal == SIGUSR1) g_monotonic.fetch_add(1);
  if (signal == SIGRTMAX - 5) {
    g_worker_cpu.fetch_add(1 + info->si_overrun);
    if (syscall(SYS_gettid) != g_worker_tid.load()) g_wrong_thread = true;
  }
}

void on_notify(sigval) {
  g_thread_notify.fetch_add(1);
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

itimerspec every(long ns) {
  itimerspec spec{};
  spec.it_interval.tv_nsec = ns;
  spec.it_value.tv_nsec = ns;
  return spec;
}

bool create(clockid_t clock, sigevent& event, long period_ns, timer_t& timer) {
  itimerspec spec = every(period_ns);
  return timer_create(clock, &event, &timer) == 0 && timer_settime(timer, 0, &spec, nullptr) == 0;
}

bool still_armed(timer_t timer, long period_ns) {
  itimerspec now{};
  return timer_gettime(timer, &now) == 0 && now.it_interval.tv_sec == 0 &&
         now.it_interval.tv_nsec == period_ns;
}

void* worker(void* raw) {
  g_worker_tid = static_cast<int>(syscall(SYS_gettid));
  auto* timer = static_cast<timer_t*>(raw);
  sigevent event{};
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = SIGRTMAX - 5;
  event._sigev_un._tid = g_worker_tid.load();
  if (!create(CLOCK_THREAD_CPUTIME_ID, event, 4000000, *timer)) return nullptr;
  burn(0.3);
  return timer;
}

}  // namespace

int main() {
  struct sigaction action {};
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  bool ok = true;
  for (int signal : {SIGRTMIN + 2, SIGRTMAX - 5, SIGUSR1})
    ok = ok && sigaction(signal, &action, nullptr) == 0;

  timer_t process_cpu, monotonic, notify, worker_cpu;
  sigevent event{};
  event.sigev_notify = SIGEV_SIGNAL;
  event.sigev_signo = SIGRTMIN + 2;
  ok = ok && create(CLOCK_PROCESS_CPUTIME_ID, event, 5000000, process_cpu);
  event.sigev_signo = SIGUSR1;
  ok = ok && create(CLOCK_MONOTONIC, event, 20000000, monotonic);
  sigevent thread_event{};
  thread_event.sigev_notify = SIGEV_THREAD;
  thread_event.sigev_notify_function = on_notify;
  ok = ok && create(CLOCK_MONOTONIC, thread_event, 25000000, notify);

  pthread_t thread;
  pthread_create(&thread, nullptr, worker, &worker_cpu);
  burn(0.3);
  void* worker_result = nullptr;
  pthread_join(thread, &worker_result);
  ok = ok && worker_result != nullptr;
  const bool armed =
      still_armed(process_cpu, 5000000) && still_armed(monotonic, 20000000) && still_armed(notify, 25000000);
  const bool deleted = timer_delete(process_cpu) == 0 && timer_delete(monotonic) == 0 &&
                       timer_delete(notify) == 0 && (!worker_result || timer_delete(worker_cpu) == 0);
  // 0.6 s of process CPU at 5 ms is ~120 expiries, the worker's 0.3 s at 4 ms ~75 (overruns counted, so
  // a loaded machine loses none; the margin is for a signal still pending at the end).
  const bool counted = g_process_cpu.load() > 30 && g_worker_cpu.load() > 20 && g_monotonic.load() > 0 &&
                       g_thread_notify.load() > 0;
  std::fprintf(stderr, "process cpu %d, worker cpu %d, monotonic %d, SIGEV_THREAD %d\n", g_process_cpu.load(),
               g_worker_cpu.load(), g_monotonic.load(), g_thread_notify.load());
  std::printf("timers created %d, still armed %d, deleted %d, counted %d, only the worker's thread %d\n", ok,
              armed, deleted, counted, !g_wrong_thread.load());
  return ok && armed && deleted && counted && !g_wrong_thread.load() ? 0 : 1;
}
