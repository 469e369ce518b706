#include "process/fatal_signals.hpp"

#include <signal.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "export.hpp"
#include "real_functions.hpp"
#include "recorder.hpp"
#include "sampling/sampler.hpp"

namespace prof::preload::fatal_signals {

namespace {

// Signals that end a healthy process by default. Crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
// SIGSYS) get no handler: a crash stays a crash, with its core dump and its debugger stop, and code run in a
// corrupted process could hang it. SIGUSR1/SIGUSR2 stay free for PROF_SNAPSHOT_SIGNAL and the program.
constexpr int kFatalSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGXCPU, SIGXFSZ};

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
  // Still blocked while we run: delivered, with the default action, as soon as we return.
  ::raise(signal);
  errno = saved;
}

}  // namespace

// Whether our handler is the one installed: asked of the kernel each time, never remembered. The program can
// change a disposition through entry points the shim does not see (sigset, sysv_signal, siginterrupt, a raw
// rt_sigaction): only the kernel's answer stays true. One extra system call per disposition change.
bool is_ours(int signal) noexcept {
  if (signal <= 0 || signal >= NSIG) return false;
  int saved = errno;
  struct sigaction current;
  bool ours = real::sigaction(signal, nullptr, &current) == 0 && !(current.sa_flags & SA_SIGINFO) &&
              current.sa_handler == on_fatal_signal;
  errno = saved;
  return ours;
}

sighandler_t disguised(sighandler_t handler) noexcept {
  return handler == on_fatal_signal ? SIG_DFL : handler;
}

bool is_fatal(int signal) noexcept {
  for (int fatal : kFatalSignals)
    if (fatal == signal) return true;
  return false;
}

bool is_default(const struct sigaction* action) noexcept {
  return !(action->sa_flags & SA_SIGINFO) && action->sa_handler == SIG_DFL;
}

// Puts our handler in place of a fatal signal's SIG_DFL, at start and whenever the program sets SIG_DFL
// again (after a handler of its own): the program sees SIG_DFL either way.
void take(int signal) noexcept {
  int saved = errno;
  struct sigaction ours;
  std::memset(&ours, 0, sizeof ours);
  ours.sa_handler = on_fatal_signal;
  sigemptyset(&ours.sa_mask);
  ours.sa_flags = SA_RESTART;
  real::sigaction(signal, &ours, nullptr);
  errno = saved;
}

void install() noexcept {
  int saved = errno;
  for (int signal : kFatalSignals) {
    struct sigaction old;
    if (real::sigaction(signal, nullptr, &old) == 0 && is_default(&old)) take(signal);
  }
  errno = saved;
}

}  // namespace prof::preload::fatal_signals

namespace fs = prof::preload::fatal_signals;
namespace real = prof::preload::real;

PROF_SHIM_EXPORT int sigaction(int signal, const struct sigaction* act, struct sigaction* old) noexcept {
  if (int rc = 0; prof::preload::sampling::intercept_sigaction(signal, act, old, rc)) return rc;
  if (!fs::is_ours(signal)) {
    int rc = real::sigaction(signal, act, old);
    // Back to the default after a handler of its own: ours again, so the end still leaves a snapshot.
    if (rc == 0 && act && fs::is_default(act) && fs::is_fatal(signal)) fs::take(signal);
    return rc;
  }
  // Asking, or asking for the default the program believes it has: our handler stays.
  if (!act || fs::is_default(act)) {
    if (old) fs::fill_default(old);
    return 0;
  }
  int rc = real::sigaction(signal, act, nullptr);
  if (rc == 0 && old) fs::fill_default(old);
  return rc;
}

// glibc's own name for it, exported too; some runtimes bind to it.
PROF_SHIM_EXPORT int __sigaction(int signal, const struct sigaction* act, struct sigaction* old) noexcept {
  return sigaction(signal, act, old);
}

// signal, bsd_signal and ssignal are one function in glibc (BSD semantics); sysv_signal resets the handler
// after one delivery. Each goes to its real self, with our handler hidden from what it returns.
namespace {

sighandler_t replace(sighandler_t (*real_fn)(int, sighandler_t), int signal, sighandler_t handler) noexcept {
  if (!real_fn) {
    errno = ENOSYS;
    return SIG_ERR;
  }
  if (prof::preload::sampling::owns(signal)) {  // the sampler's signal: as sigaction above
    if (handler == SIG_DFL) return SIG_DFL;
    prof::preload::sampling::step_aside("the program sets its own action for the signal it samples with");
  }
  if (handler != SIG_DFL || !fs::is_fatal(signal)) return fs::disguised(real_fn(signal, handler));
  if (fs::is_ours(signal)) return SIG_DFL;
  sighandler_t previous = real_fn(signal, SIG_DFL);
  if (previous != SIG_ERR) fs::take(signal);
  return previous;
}

}  // namespace

PROF_SHIM_EXPORT sighandler_t signal(int signal, sighandler_t handler) noexcept {
  return replace(real::signal_function(real::SignalKind::bsd), signal, handler);
}

PROF_SHIM_EXPORT sighandler_t bsd_signal(int signal, sighandler_t handler) noexcept {
  return replace(real::signal_function(real::SignalKind::bsd), signal, handler);
}

PROF_SHIM_EXPORT sighandler_t ssignal(int signal, sighandler_t handler) noexcept {
  return replace(real::signal_function(real::SignalKind::bsd), signal, handler);
}

PROF_SHIM_EXPORT sighandler_t sysv_signal(int signal, sighandler_t handler) noexcept {
  return replace(real::signal_function(real::SignalKind::sysv), signal, handler);
}

PROF_SHIM_EXPORT sighandler_t __sysv_signal(int signal, sighandler_t handler) noexcept {
  return replace(real::signal_function(real::SignalKind::sysv), signal, handler);
}

// sigset also moves the signal in and out of the mask: SIG_DFL while ours only unblocks it, as the real
// sigset would, and answers what the real one answers (SIG_HOLD when it was blocked).
PROF_SHIM_EXPORT sighandler_t sigset(int signal, sighandler_t handler) noexcept {
  auto real_fn = real::signal_function(real::SignalKind::sigset);
  if (!real_fn) {
    errno = ENOSYS;
    return SIG_ERR;
  }
  if (handler != SIG_DFL || !fs::is_fatal(signal)) return fs::disguised(real_fn(signal, handler));
  if (fs::is_ours(signal)) {
    sigset_t one, previous;
    sigemptyset(&one);
    sigaddset(&one, signal);
    if (sigprocmask(SIG_UNBLOCK, &one, &previous) != 0) return SIG_ERR;
    return sigismember(&previous, signal) ? SIG_HOLD : SIG_DFL;
  }
  sighandler_t previous = real_fn(signal, SIG_DFL);
  if (previous != SIG_ERR) fs::take(signal);
  return previous;
}
