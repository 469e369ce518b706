#include "process/fatal_signals.hpp"

#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "export.hpp"
#include "real_functions.hpp"
#include "recorder.hpp"

namespace prof::preload::fatal_signals {

namespace {

// Signals that end a healthy process by default. Crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
// SIGSYS) get no handler: a crash stays a crash, with its core dump and its debugger stop, and code run in a
// corrupted process could hang it. SIGUSR1/SIGUSR2 stay free for PROF_SNAPSHOT_SIGNAL and the program.
constexpr int kFatalSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGXCPU, SIGXFSZ};

// Whether our handler is the one installed for a signal.
std::atomic<bool> g_ours[NSIG];

bool is_ours(int signal) noexcept {
  return signal > 0 && signal < NSIG && g_ours[signal].load(std::memory_order_acquire);
}

void fill_default(struct sigaction* action) noexcept {
  std::memset(action, 0, sizeof *action);
  action->sa_handler = SIG_DFL;
}

void on_fatal_signal(int signal) {
  int saved = errno;
  recorder::finish_signaled(signal);
  struct sigaction dfl;
  fill_default(&dfl);
  real::sigaction(signal, &dfl, nullptr);
  if (recorder::owns_process()) g_ours[signal].store(false, std::memory_order_release);
  // Still blocked while we run: delivered, with the default action, as soon as we return. A fault (SIGSEGV
  // from a bad access) would also simply recur on return.
  ::raise(signal);
  errno = saved;
}

}  // namespace

void install() noexcept {
  int saved = errno;
  for (int signal : kFatalSignals) {
    struct sigaction old;
    if (real::sigaction(signal, nullptr, &old) != 0) continue;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
    struct sigaction ours;
    std::memset(&ours, 0, sizeof ours);
    ours.sa_handler = on_fatal_signal;
    sigemptyset(&ours.sa_mask);
    ours.sa_flags = SA_RESTART;
    // Marked first: a signal landing between the two steps must find the flag set.
    g_ours[signal].store(true, std::memory_order_release);
    if (real::sigaction(signal, &ours, nullptr) != 0) g_ours[signal].store(false, std::memory_order_release);
  }
  errno = saved;
}

}  // namespace prof::preload::fatal_signals

using prof::preload::fatal_signals::fill_default;
using prof::preload::fatal_signals::g_ours;
using prof::preload::fatal_signals::is_ours;

PROF_SHIM_EXPORT int sigaction(int signal, const struct sigaction* act, struct sigaction* old) noexcept {
  if (!is_ours(signal)) return prof::preload::real::sigaction(signal, act, old);
  // Asking, or asking for the default the program believes it has: our handler stays.
  if (!act || (!(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_DFL)) {
    if (old) fill_default(old);
    return 0;
  }
  int rc = prof::preload::real::sigaction(signal, act, nullptr);
  if (rc == 0) {
    g_ours[signal].store(false, std::memory_order_release);
    if (old) fill_default(old);
  }
  return rc;
}

PROF_SHIM_EXPORT sighandler_t signal(int signal, sighandler_t handler) noexcept {
  if (!is_ours(signal) || handler == SIG_ERR) return prof::preload::real::signal(signal, handler);
  if (handler == SIG_DFL) return SIG_DFL;
  sighandler_t previous = prof::preload::real::signal(signal, handler);
  if (previous == SIG_ERR) return SIG_ERR;
  g_ours[signal].store(false, std::memory_order_release);
  return SIG_DFL;
}
