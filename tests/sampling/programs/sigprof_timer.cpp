// A program that profiles itself the classic way (gprof, gperftools): a SIGPROF handler and
// setitimer(ITIMER_PROF), with ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_REAL (SIGALRM) beside it, while two
// threads burn CPU. It prints what it saw; the plain run and the run under `prof run` must agree, exit code
// included (tests/sampling/timers_test.cpp): the sampler's own timers are per-thread POSIX timers on another
// signal, so the program's keep running as without prof.
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include <atomic>
#include <cstdio>

namespace {

std::atomic<int> g_prof_ticks{0}, g_virtual_ticks{0}, g_real_ticks{0};
volatile double g_sink = 0;

void on_prof(int) {
  g_prof_ticks.fetch_add(1);
}
void on_virtual(int) {
  g_virtual_ticks.fetch_add(1);
}
void on_real(int) {
  g_real_ticks.fetch_add(1);
}

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void* burn(void* seconds) {
  double end = thread_cpu_seconds() + *static_cast<double*>(seconds);
  double x = 0;
  while (thread_cpu_seconds() < end)
    for (int i = 0; i < 10000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
  return nullptr;
}

bool install(int signal, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  return sigaction(signal, &action, nullptr) == 0;
}

// The handler the program reads back is the one it set.
bool reads_back(int signal, void (*handler)(int)) {
  struct sigaction current {};
  return sigaction(signal, nullptr, &current) == 0 && current.sa_handler == handler;
}

bool arm(int which, long interval_us) {
  itimerval spec{};
  spec.it_interval.tv_usec = interval_us;
  spec.it_value.tv_usec = interval_us;
  return setitimer(which, &spec, nullptr) == 0;
}

// Still armed with the interval it was given. The interval alone: a timer disarmed by anyone reads zero
// there, while the time to the next expiry may read zero for an instant at an expiry (seen once under load,
// with no prof at all).
bool still_armed(int which, long interval_us) {
  itimerval now{};
  return getitimer(which, &now) == 0 && now.it_interval.tv_sec == 0 && now.it_interval.tv_usec == interval_us;
}

double g_step = 0.05;  // seconds of CPU; burn() takes it by pointer, as a thread function

bool enough_ticks() {
  return g_prof_ticks.load() >= 3 && g_virtual_ticks.load() >= 3 && g_real_ticks.load() >= 1;
}

}  // namespace

int main() {
  bool ok = install(SIGPROF, on_prof) && install(SIGVTALRM, on_virtual) && install(SIGALRM, on_real);
  ok = ok && arm(ITIMER_PROF, 5000) && arm(ITIMER_VIRTUAL, 7000) && arm(ITIMER_REAL, 10000);
  double seconds = 0.3;
  pthread_t worker;
  pthread_create(&worker, nullptr, burn, &seconds);
  burn(&seconds);
  pthread_join(worker, nullptr);
  // A pending SIGPROF is not queued twice, and the kernel checks process CPU-time timers at its tick: with
  // CPU hogs beside it, plain runs saw 2 SIGPROFs and 1 SIGVTALRM in 0.6 s of CPU. So the program burns on
  // until each timer has fired a few times (up to 5 s more of CPU): whether they fire is the
  // machine-independent part.
  for (double extra = 0; extra < 5.0 && !enough_ticks(); extra += 0.05)
    burn(&g_step);
  const bool armed =
      still_armed(ITIMER_PROF, 5000) && still_armed(ITIMER_VIRTUAL, 7000) && still_armed(ITIMER_REAL, 10000);
  const bool handlers =
      reads_back(SIGPROF, on_prof) && reads_back(SIGVTALRM, on_virtual) && reads_back(SIGALRM, on_real);
  itimerval off{};
  setitimer(ITIMER_PROF, &off, nullptr);
  setitimer(ITIMER_VIRTUAL, &off, nullptr);
  setitimer(ITIMER_REAL, &off, nullptr);
  // The counts go to stderr, which the test does not compare.
  const int prof_ticks = g_prof_ticks.load(), virtual_ticks = g_virtual_ticks.load();
  const bool counted = enough_ticks();
  std::fprintf(stderr, "SIGPROF %d, SIGVTALRM %d, SIGALRM %d\n", prof_ticks, virtual_ticks,
               g_real_ticks.load());
  std::printf("setitimer ok %d, still armed %d, handlers kept %d, ticks counted %d\n", ok, armed, handlers,
              counted);
  return ok && armed && handlers && counted ? 0 : 1;
}
