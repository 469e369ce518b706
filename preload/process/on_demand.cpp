#include "process/on_demand.hpp"

#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "memory/tracer.hpp"
#include "real_functions.hpp"
#include "recorder.hpp"
#include "settings.hpp"
#include "warning.hpp"

namespace prof::preload::on_demand {

namespace {

constexpr std::atomic<std::uint32_t>& g_state = entry_word::prof_entry_word;

// Calls between two looks at the clock, per thread: a coarse clock read is a few ns, this makes it noise.
constexpr int kCallsPerClockRead = 1024;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr long kMaxIntervalSeconds = 366L * 24 * 3600;  // a year

std::int64_t g_interval_ns = 0;
std::atomic<std::int64_t> g_deadline_ns{0};
std::atomic<int> g_sequence{0};
thread_local int tl_countdown __attribute__((tls_model("initial-exec"))) = kCallsPerClockRead;

struct SignalName {
  const char* name;
  int number;
};
// Signals whose default action is to ignore or to terminate and that nothing else sends for a reason of its
// own: taking one over changes nothing the program or the system relies on. Not SIGTERM, SIGINT, SIGHUP,
// SIGQUIT (they must still end the program), SIGALRM (sleep and alarm), the crash signals (a handler that
// returns makes the fault recur forever), SIGCHLD, SIGCONT and the stop signals (job control).
constexpr SignalName kNames[] = {{"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"WINCH", SIGWINCH}, {"PWR", SIGPWR}};
constexpr const char kAccepted[] =
    "a signal the shim can take (SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR, SIGRTMIN+N)";

bool is_safe(int signal) noexcept {
  for (const SignalName& entry : kNames)
    if (entry.number == signal) return true;
  return signal >= SIGRTMIN && signal <= SIGRTMAX;
}

// Digits only, below NSIG; -1 otherwise.
int small_number(const char* text) noexcept {
  if (!*text) return -1;
  int number = 0;
  for (const char* c = text; *c; ++c) {
    if (*c < '0' || *c > '9' || number >= NSIG) return -1;
    number = number * 10 + (*c - '0');
  }
  return number < NSIG ? number : -1;
}

// "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N"; 0 when it is none of these.
int realtime(const char* text) noexcept {
  bool from_min = std::strncmp(text, "RTMIN", 5) == 0;
  if (!from_min && std::strncmp(text, "RTMAX", 5) != 0) return 0;
  text += 5;
  if (*text == '\0') return from_min ? SIGRTMIN : SIGRTMAX;
  if (*text != (from_min ? '+' : '-')) return 0;
  int offset = small_number(text + 1);
  if (offset < 0) return 0;
  return from_min ? SIGRTMIN + offset : SIGRTMAX - offset;
}

std::int64_t coarse_now_ns() noexcept {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return static_cast<std::int64_t>(now.tv_sec) * kNanosPerSecond + now.tv_nsec;
}

void on_snapshot_signal(int) {
  g_state.fetch_or(kSignalled, std::memory_order_relaxed);
}

void install_handler(int signal) noexcept {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_snapshot_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  real::sigaction(signal, &action, nullptr);
}

void arm_interval() noexcept {
  if (g_interval_ns <= 0) return;
  g_deadline_ns.store(coarse_now_ns() + g_interval_ns, std::memory_order_relaxed);
  g_state.fetch_or(kTimed, std::memory_order_relaxed);
}

void look_at_clock() noexcept {
  if (--tl_countdown > 0) return;
  tl_countdown = kCallsPerClockRead;
  std::int64_t deadline = g_deadline_ns.load(std::memory_order_relaxed);
  std::int64_t now = coarse_now_ns();
  if (now < deadline) return;
  // One thread wins the deadline; the others see the new one.
  if (g_deadline_ns.compare_exchange_strong(deadline, now + g_interval_ns, std::memory_order_relaxed))
    g_state.fetch_or(kSignalled, std::memory_order_relaxed);
}

void write_numbered() noexcept {
  // A vfork child or a follow-off process leaves the request to the process that writes.
  if (!recorder::owns_process()) return;
  // Inside the tracer (its fork handlers hold every table lock) is not a safe point: keep the request.
  bool traced = memory::active();
  if (traced && !memory::enter()) return;
  if (g_state.fetch_and(~kSignalled, std::memory_order_acq_rel) & kSignalled) {
    int saved = errno;
    recorder::write_on_demand(nullptr, g_sequence.fetch_add(1, std::memory_order_relaxed) + 1);
    errno = saved;
  }
  if (traced) memory::leave();
}

}  // namespace

int parse_signal(const char* text) noexcept {
  if (!text || !*text) return 0;
  int number = small_number(text);
  if (number < 0) {
    if (std::strncmp(text, "SIG", 3) == 0) text += 3;
    number = realtime(text);
    for (const SignalName& entry : kNames) {
      if (std::strcmp(text, entry.name) == 0) number = entry.number;
    }
  }
  return number > 0 && is_safe(number) ? number : 0;
}

void start() noexcept {
  int saved = errno;
  const char* signal_text = ::secure_getenv("PROF_SNAPSHOT_SIGNAL");
  if (int signal = parse_signal(signal_text)) {
    install_handler(signal);
  } else if (signal_text && *signal_text) {
    warning::bad_setting("PROF_SNAPSHOT_SIGNAL", signal_text, kAccepted, "none (no snapshot on a signal)");
  }
  g_interval_ns = settings::whole_number("PROF_SNAPSHOT_INTERVAL", kMaxIntervalSeconds, 0,
                                         "none (no snapshots on an interval)") *
                  kNanosPerSecond;
  arm_interval();
  errno = saved;
}

void reset_after_fork() noexcept {
  g_sequence.store(0, std::memory_order_relaxed);
  g_state.fetch_and(~kSignalled, std::memory_order_relaxed);
  arm_interval();
}

void check() noexcept {
  std::uint32_t state = g_state.load(std::memory_order_relaxed);
  if (state & kTimed) look_at_clock();
  if (g_state.load(std::memory_order_relaxed) & kSignalled) write_numbered();
}

}  // namespace prof::preload::on_demand
