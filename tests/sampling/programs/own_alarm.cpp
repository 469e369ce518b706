// A program that cuts its own blocking calls short: a SIGALRM handler (no SA_RESTART) and setitimer 30 ms
// before each of nanosleep, clock_nanosleep, sleep, usleep, poll, ppoll, select, pselect, epoll_wait,
// epoll_pwait, pause, sigsuspend, sem_timedwait, sem_clockwait, sigtimedwait and sigwaitinfo, each asked to
// wait 2 s. Every call must fail with EINTR (sleep: return what is left) after the alarm's handler ran, long
// before its 2 s. The handler works 3 ms, so a wall-clock sample lands inside it: the shim must still give
// the program its EINTR and not resume the call. Prints one line per call and round.
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

volatile sig_atomic_t g_alarms = 0;

double now() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void on_alarm(int) {
  const double until = now() + 0.003;
  while (now() < until) {
  }
  g_alarms = g_alarms + 1;
}

void arm() {
  itimerval spec{};
  spec.it_value.tv_usec = 30000;
  setitimer(ITIMER_REAL, &spec, nullptr);
}

timespec in_two_seconds(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  t.tv_sec += 2;
  return t;
}

int g_bad = 0;

// pause and sigwaitinfo wait for good when the shim resumes them: the run ends with a line saying so instead
// of hanging (a minute is thirty times what the whole run needs).
void* watchdog(void*) {
  sleep(60);
  std::printf("stuck\n");
  std::fflush(stdout);
  _exit(3);
}

// `failed_eintr`: the call returned its failure with errno EINTR (or what stands for it).
void check(const char* name, bool failed_eintr, sig_atomic_t alarms_before, double started) {
  const bool alarm_ran = g_alarms != alarms_before;
  const bool early = now() - started < 1.0;
  std::printf("%-15s %s alarm %s %s\n", name, failed_eintr ? "EINTR" : "no-EINTR",
              alarm_ran ? "ran" : "missing", early ? "early" : "late");
  if (!failed_eintr || !alarm_ran || !early) ++g_bad;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // what was seen before a watchdog exit
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  struct sigaction action {};
  action.sa_handler = on_alarm;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: the program wants its calls cut short
  sigaction(SIGALRM, &action, nullptr);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigset_t alarm_too = usr2;
  sigaddset(&alarm_too, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &alarm_too, nullptr);  // the watchdog never takes the process's SIGALRM
  pthread_t thread;
  if (pthread_create(&thread, nullptr, watchdog, nullptr) != 0) return 2;
  sigset_t alarm_only;
  sigemptyset(&alarm_only);
  sigaddset(&alarm_only, SIGALRM);
  pthread_sigmask(SIG_UNBLOCK, &alarm_only, nullptr);
  sigset_t current;
  pthread_sigmask(SIG_BLOCK, nullptr, &current);
  sem_t semaphore;
  sem_init(&semaphore, 0, 0);
  const int epoll = epoll_create1(0);
  int fds[2];
  if (pipe(fds) != 0 || epoll < 0) return 2;
  epoll_event event{};
  event.events = EPOLLIN;
  epoll_ctl(epoll, EPOLL_CTL_ADD, fds[0], &event);

  for (int round = 0; round < rounds; ++round) {
    sig_atomic_t before;
    double started;
    auto start = [&] {
      before = g_alarms;
      started = now();
      arm();
    };
    {
      start();
      timespec ask{2, 0}, left{};
      int rc = nanosleep(&ask, &left);
      check("nanosleep", rc == -1 && errno == EINTR && left.tv_sec >= 1, before, started);
    }
    {
      start();
      timespec ask{2, 0}, left{};
      check("clock_nanosleep", clock_nanosleep(CLOCK_MONOTONIC, 0, &ask, &left) == EINTR, before, started);
    }
    {
      start();
      check("sleep", sleep(2) > 0, before, started);
    }
    {
      start();
      check("usleep", usleep(1999999) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      pollfd p{fds[0], POLLIN, 0};
      check("poll", poll(&p, 1, 2000) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      timespec wait{2, 0};
      check("ppoll", ppoll(nullptr, 0, &wait, nullptr) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      timespec wait{2, 0};
      pollfd p{fds[0], POLLIN, 0};
      check("ppoll+mask", ppoll(&p, 1, &wait, &current) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      fd_set read;
      FD_ZERO(&read);
      FD_SET(fds[0], &read);
      timeval wait{2, 0};
      check("select", select(fds[0] + 1, &read, nullptr, nullptr, &wait) == -1 && errno == EINTR, before,
            started);
    }
    {
      start();
      fd_set read;
      FD_ZERO(&read);
      FD_SET(fds[0], &read);
      timespec wait{2, 0};
      check("pselect+mask",
            pselect(fds[0] + 1, &read, nullptr, nullptr, &wait, &current) == -1 && errno == EINTR, before,
            started);
    }
    {
      start();
      epoll_event got;
      check("epoll_wait", epoll_wait(epoll, &got, 1, 2000) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      epoll_event got;
      check("epoll_pwait", epoll_pwait(epoll, &got, 1, 2000, &current) == -1 && errno == EINTR, before,
            started);
    }
    {
      start();
      check("pause", pause() == -1 && errno == EINTR, before, started);
    }
    {
      start();
      check("sigsuspend", sigsuspend(&current) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      timespec deadline = in_two_seconds(CLOCK_REALTIME);
      check("sem_timedwait", sem_timedwait(&semaphore, &deadline) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      timespec deadline = in_two_seconds(CLOCK_MONOTONIC);
      check("sem_clockwait", sem_clockwait(&semaphore, CLOCK_MONOTONIC, &deadline) == -1 && errno == EINTR,
            before, started);
    }
    {
      start();
      timespec wait{2, 0};
      check("sigtimedwait", sigtimedwait(&usr2, nullptr, &wait) == -1 && errno == EINTR, before, started);
    }
    {
      start();
      check("sigwaitinfo", sigwaitinfo(&usr2, nullptr) == -1 && errno == EINTR, before, started);
    }
  }
  std::printf("wrong %d\n", g_bad);
  std::fflush(stdout);
  return g_bad == 0 ? 0 : 1;
}
