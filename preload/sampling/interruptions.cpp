#include "sampling/interruptions.hpp"

#include <dlfcn.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/msg.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "export.hpp"
#include "real_functions.hpp"
#include "sampling/sampler.hpp"

namespace prof::preload::sampling::interruptions {

namespace {

using NanosleepFn = int (*)(const timespec*, timespec*);
using ClockNanosleepFn = int (*)(clockid_t, int, const timespec*, timespec*);
using PollFn = int (*)(pollfd*, nfds_t, int);
using PpollFn = int (*)(pollfd*, nfds_t, const timespec*, const sigset_t*);
using SelectFn = int (*)(int, fd_set*, fd_set*, fd_set*, timeval*);
using PselectFn = int (*)(int, fd_set*, fd_set*, fd_set*, const timespec*, const sigset_t*);
using EpollWaitFn = int (*)(int, epoll_event*, int, int);
using EpollPwaitFn = int (*)(int, epoll_event*, int, int, const sigset_t*);
using PauseFn = int (*)();
using SemTimedwaitFn = int (*)(sem_t*, const timespec*);
using SemClockwaitFn = int (*)(sem_t*, clockid_t, const timespec*);
using SigwaitinfoFn = int (*)(const sigset_t*, siginfo_t*);
using SigtimedwaitFn = int (*)(const sigset_t*, siginfo_t*, const timespec*);
using SigsuspendFn = int (*)(const sigset_t*);
using SemopFn = int (*)(int, sembuf*, std::size_t);
using SemtimedopFn = int (*)(int, sembuf*, std::size_t, const timespec*);
using MsgrcvFn = ssize_t (*)(int, void*, std::size_t, long, int);
using MsgsndFn = int (*)(int, const void*, std::size_t, int);

std::atomic<NanosleepFn> g_nanosleep{nullptr};
std::atomic<ClockNanosleepFn> g_clock_nanosleep{nullptr};
std::atomic<PollFn> g_poll{nullptr};
std::atomic<PpollFn> g_ppoll{nullptr};
std::atomic<SelectFn> g_select{nullptr};
std::atomic<PselectFn> g_pselect{nullptr};
std::atomic<EpollWaitFn> g_epoll_wait{nullptr};
std::atomic<EpollPwaitFn> g_epoll_pwait{nullptr};
std::atomic<PauseFn> g_pause{nullptr};
std::atomic<SemTimedwaitFn> g_sem_timedwait{nullptr};
std::atomic<SemClockwaitFn> g_sem_clockwait{nullptr};
std::atomic<SigwaitinfoFn> g_sigwaitinfo{nullptr};
std::atomic<SigtimedwaitFn> g_sigtimedwait{nullptr};
std::atomic<SigsuspendFn> g_sigsuspend{nullptr};
std::atomic<SemopFn> g_semop{nullptr};
std::atomic<SemtimedopFn> g_semtimedop{nullptr};
std::atomic<MsgrcvFn> g_msgrcv{nullptr};
std::atomic<MsgsndFn> g_msgsnd{nullptr};

using real::lookup;

// Whether the calls need watching: on the wall clock, whose timer fires while the thread sleeps. On the CPU
// clock the thread's CPU-time timer takes over before it waits (going_to_wait): nothing to hold.
bool watching() noexcept {
  if (!active()) return false;
  if (wall_clock()) return true;
  going_to_wait();
  return false;
}

// Keeps the sampler's signal blocked on this thread for its lifetime, around one real call: the kernel then
// never interrupts the call for a sample, so any EINTR it returns is the program's own signal's and goes back
// as is. The timer's expiries meanwhile stay pending as one signal with an overrun count, delivered when the
// destructor unblocks it: one sample of the call's stack weighted by the periods it waited. The two
// pthread_sigmask calls are paid on the wall clock only (watching()).
class SamplesHeld {
 public:
  explicit SamplesHeld(const void* call) noexcept : call_(call) {
    sigset_t ours;
    sigemptyset(&ours);
    sigaddset(&ours, signal_number());
    pthread_sigmask(SIG_BLOCK, &ours, &before_);
  }
  ~SamplesHeld() {
    if (sigismember(&before_, signal_number())) return;  // the program blocks it itself: left so
    const int saved = errno;
    sigset_t ours;
    sigemptyset(&ours);
    sigaddset(&ours, signal_number());
    set_ending_call(call_);
    pthread_sigmask(SIG_UNBLOCK, &ours, nullptr);
    set_ending_call(nullptr);
    errno = saved;
  }
  SamplesHeld(const SamplesHeld&) = delete;
  SamplesHeld& operator=(const SamplesHeld&) = delete;

 private:
  const void* call_;
  sigset_t before_;
};

// The mask a call takes for its duration (ppoll, pselect, epoll_pwait, sigsuspend) with the sampler's signal
// added, on a copy: the program's set is const and its own.
struct WithOurs {
  explicit WithOurs(const sigset_t* mask) noexcept {
    if (!mask) return;
    copy = *mask;
    sigaddset(&copy, signal_number());
    use = &copy;
  }
  sigset_t copy;
  const sigset_t* use = nullptr;
};

// Each wrapper: unless watching(), the real call and nothing else; else, the real call once with the
// sampler's signal held, whatever it returns going back to the program as is.
template <typename Fn, typename... Args>
auto held_call(Fn real, Args... args) noexcept {
  if (!watching()) return real(args...);
  SamplesHeld held(reinterpret_cast<const void*>(real));
  return real(args...);
}

// nanosleep, and sleep and usleep on top of it.
int sleep_held(const timespec* request, timespec* remaining) noexcept {
  NanosleepFn real = lookup(g_nanosleep, "nanosleep");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  return held_call(real, request, remaining);
}

// Fails as libc does when dlsym found nothing.
template <typename Fn>
bool missing(Fn fn) noexcept {
  if (fn) return false;
  errno = ENOSYS;
  return true;
}

}  // namespace

void resolve() noexcept {
  lookup(g_nanosleep, "nanosleep");
  lookup(g_clock_nanosleep, "clock_nanosleep");
  lookup(g_poll, "poll");
  lookup(g_ppoll, "ppoll");
  lookup(g_select, "select");
  lookup(g_pselect, "pselect");
  lookup(g_epoll_wait, "epoll_wait");
  lookup(g_epoll_pwait, "epoll_pwait");
  lookup(g_pause, "pause");
  lookup(g_sem_timedwait, "sem_timedwait");
  lookup(g_sem_clockwait, "sem_clockwait");
  lookup(g_sigwaitinfo, "sigwaitinfo");
  lookup(g_sigtimedwait, "sigtimedwait");
  lookup(g_sigsuspend, "sigsuspend");
  lookup(g_semop, "semop");
  lookup(g_semtimedop, "semtimedop");
  lookup(g_msgrcv, "msgrcv");
  lookup(g_msgsnd, "msgsnd");
}

}  // namespace prof::preload::sampling::interruptions

namespace ps = prof::preload::sampling;
namespace pi = prof::preload::sampling::interruptions;

PROF_SHIM_EXPORT int nanosleep(const timespec* request, timespec* remaining) {
  return pi::sleep_held(request, remaining);
}

PROF_SHIM_EXPORT unsigned int sleep(unsigned int seconds) {
  timespec ask{static_cast<time_t>(seconds), 0}, left{};
  if (pi::sleep_held(&ask, &left) == 0) return 0;
  // As glibc: the seconds left, rounded up.
  return static_cast<unsigned int>(left.tv_sec) + (left.tv_nsec != 0 ? 1U : 0U);
}

PROF_SHIM_EXPORT int usleep(useconds_t microseconds) {
  timespec ask{static_cast<time_t>(microseconds / 1000000), static_cast<long>(microseconds % 1000000) * 1000};
  return pi::sleep_held(&ask, nullptr);
}

// Returns an error number, not -1 with errno.
PROF_SHIM_EXPORT int clock_nanosleep(clockid_t clock, int flags, const timespec* request,
                                     timespec* remaining) {
  auto real = pi::lookup(pi::g_clock_nanosleep, "clock_nanosleep");
  if (!real) return ENOSYS;
  return pi::held_call(real, clock, flags, request, remaining);
}

PROF_SHIM_EXPORT int poll(pollfd* fds, nfds_t count, int timeout_ms) {
  auto real = pi::lookup(pi::g_poll, "poll");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, fds, count, timeout_ms);
}

// What fortified programs (-D_FORTIFY_SOURCE, as Debian builds its packages) call for poll and ppoll on an
// array of known size: glibc's versions check the size and call its own poll inside, past our wrapper.
extern "C" [[noreturn]] void __chk_fail();

PROF_SHIM_EXPORT int __poll_chk(pollfd* fds, nfds_t count, int timeout_ms, std::size_t fds_bytes) {
  if (fds_bytes / sizeof(*fds) < count) __chk_fail();
  return poll(fds, count, timeout_ms);
}

// The calls that take a signal mask for their duration replace the thread's for that time: the sampler's
// signal is added to a copy of the program's (a null mask leaves the thread's, where it is blocked already).
PROF_SHIM_EXPORT int ppoll(pollfd* fds, nfds_t count, const timespec* timeout, const sigset_t* mask) {
  auto real = pi::lookup(pi::g_ppoll, "ppoll");
  if (pi::missing(real)) return -1;
  if (!pi::watching()) return real(fds, count, timeout, mask);
  pi::WithOurs with(mask);
  return pi::held_call(real, fds, count, timeout, with.use);
}

PROF_SHIM_EXPORT int __ppoll_chk(pollfd* fds, nfds_t count, const timespec* timeout, const sigset_t* mask,
                                 std::size_t fds_bytes) {
  if (fds_bytes / sizeof(*fds) < count) __chk_fail();
  return ppoll(fds, count, timeout, mask);
}

PROF_SHIM_EXPORT int select(int count, fd_set* read, fd_set* write, fd_set* error, timeval* timeout) {
  auto real = pi::lookup(pi::g_select, "select");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, count, read, write, error, timeout);
}

PROF_SHIM_EXPORT int pselect(int count, fd_set* read, fd_set* write, fd_set* error, const timespec* timeout,
                             const sigset_t* mask) {
  auto real = pi::lookup(pi::g_pselect, "pselect");
  if (pi::missing(real)) return -1;
  if (!pi::watching()) return real(count, read, write, error, timeout, mask);
  pi::WithOurs with(mask);
  return pi::held_call(real, count, read, write, error, timeout, with.use);
}

PROF_SHIM_EXPORT int epoll_wait(int epoll, epoll_event* events, int most, int timeout_ms) {
  auto real = pi::lookup(pi::g_epoll_wait, "epoll_wait");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, epoll, events, most, timeout_ms);
}

PROF_SHIM_EXPORT int epoll_pwait(int epoll, epoll_event* events, int most, int timeout_ms,
                                 const sigset_t* mask) {
  auto real = pi::lookup(pi::g_epoll_pwait, "epoll_pwait");
  if (pi::missing(real)) return -1;
  if (!pi::watching()) return real(epoll, events, most, timeout_ms, mask);
  pi::WithOurs with(mask);
  return pi::held_call(real, epoll, events, most, timeout_ms, with.use);
}

// pause and sigsuspend return when any handler ran: a sample's must not be one.
PROF_SHIM_EXPORT int pause() {
  auto real = pi::lookup(pi::g_pause, "pause");
  if (pi::missing(real)) return -1;
  return pi::held_call(real);
}

PROF_SHIM_EXPORT int sigsuspend(const sigset_t* mask) {
  auto real = pi::lookup(pi::g_sigsuspend, "sigsuspend");
  if (pi::missing(real)) return -1;
  if (!pi::watching()) return real(mask);
  pi::WithOurs with(mask);
  return pi::held_call(real, with.use);
}

// sem_timedwait and sem_clockwait wait on a futex the kernel does not restart after a handler. sem_wait is
// restarted (SA_RESTART).
PROF_SHIM_EXPORT int sem_timedwait(sem_t* semaphore, const timespec* deadline) {
  auto real = pi::lookup(pi::g_sem_timedwait, "sem_timedwait");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, semaphore, deadline);
}

PROF_SHIM_EXPORT int sem_clockwait(sem_t* semaphore, clockid_t clock, const timespec* deadline) {
  auto real = pi::lookup(pi::g_sem_clockwait, "sem_clockwait");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, semaphore, clock, deadline);
}

// Waiting for a blocked signal: a sample's handler is not the signal waited for.
PROF_SHIM_EXPORT int sigwaitinfo(const sigset_t* set, siginfo_t* info) {
  auto real = pi::lookup(pi::g_sigwaitinfo, "sigwaitinfo");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, set, info);
}

PROF_SHIM_EXPORT int sigtimedwait(const sigset_t* set, siginfo_t* info, const timespec* timeout) {
  auto real = pi::lookup(pi::g_sigtimedwait, "sigtimedwait");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, set, info, timeout);
}

// System V IPC waits: the kernel never restarts semop, semtimedop, msgrcv and msgsnd after a handler.
PROF_SHIM_EXPORT int semop(int set, sembuf* operations, std::size_t count) {
  auto real = pi::lookup(pi::g_semop, "semop");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, set, operations, count);
}

PROF_SHIM_EXPORT int semtimedop(int set, sembuf* operations, std::size_t count, const timespec* timeout) {
  auto real = pi::lookup(pi::g_semtimedop, "semtimedop");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, set, operations, count, timeout);
}

PROF_SHIM_EXPORT ssize_t msgrcv(int queue, void* message, std::size_t size, long type, int flags) {
  auto real = pi::lookup(pi::g_msgrcv, "msgrcv");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, queue, message, size, type, flags);
}

PROF_SHIM_EXPORT int msgsnd(int queue, const void* message, std::size_t size, int flags) {
  auto real = pi::lookup(pi::g_msgsnd, "msgsnd");
  if (pi::missing(real)) return -1;
  return pi::held_call(real, queue, message, size, flags);
}
