#include "sampling/interruptions.hpp"

#include <dlfcn.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "export.hpp"
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

template <typename Fn>
Fn lookup(std::atomic<Fn>& slot, const char* name) noexcept {
  Fn fn = slot.load(std::memory_order_acquire);
  if (!fn) {
    int saved = errno;
    fn = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
    errno = saved;
    slot.store(fn, std::memory_order_release);
  }
  return fn;
}

// Whether the calls need watching: wall-clock sampling is on.
bool watching() noexcept {
  return wall_clock() && active();
}

// The call failed with EINTR, and the sampler's handler ran on this thread since `before`.
bool cut_by_sample(int rc, std::uint64_t before) noexcept {
  return rc == -1 && errno == EINTR && deliveries() != before;
}

std::int64_t now_ns() noexcept {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

timespec to_timespec(std::int64_t ns) noexcept {
  if (ns < 0) ns = 0;
  return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

std::int64_t ns_of(const timespec& t) noexcept {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Milliseconds left to `deadline`, rounded up (poll and epoll_wait take milliseconds).
int ms_left(std::int64_t deadline) noexcept {
  std::int64_t left = deadline - now_ns();
  if (left <= 0) return 0;
  std::int64_t ms = (left + 999999) / 1000000;
  return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

// nanosleep that sleeps its whole time through samples: the kernel's remaining time is the next request.
int sleep_through(const timespec* request, timespec* remaining) noexcept {
  NanosleepFn real = lookup(g_nanosleep, "nanosleep");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!watching()) return real(request, remaining);
  timespec ask = *request, left{};
  for (;;) {
    const std::uint64_t before = deliveries();
    int rc = real(&ask, &left);
    if (!cut_by_sample(rc, before)) {
      if (rc == -1 && errno == EINTR && remaining) *remaining = left;
      return rc;
    }
    ask = left;
  }
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
}

}  // namespace prof::preload::sampling::interruptions

namespace ps = prof::preload::sampling;
namespace pi = prof::preload::sampling::interruptions;

PROF_SHIM_EXPORT int nanosleep(const timespec* request, timespec* remaining) {
  return pi::sleep_through(request, remaining);
}

PROF_SHIM_EXPORT unsigned int sleep(unsigned int seconds) {
  timespec ask{static_cast<time_t>(seconds), 0}, left{};
  if (pi::sleep_through(&ask, &left) == 0) return 0;
  // As glibc: the seconds left, rounded up.
  return static_cast<unsigned int>(left.tv_sec) + (left.tv_nsec != 0 ? 1U : 0U);
}

PROF_SHIM_EXPORT int usleep(useconds_t microseconds) {
  timespec ask{static_cast<time_t>(microseconds / 1000000), static_cast<long>(microseconds % 1000000) * 1000};
  return pi::sleep_through(&ask, nullptr);
}

// Returns an error number, not -1 with errno.
PROF_SHIM_EXPORT int clock_nanosleep(clockid_t clock, int flags, const timespec* request,
                                     timespec* remaining) {
  auto real = pi::lookup(pi::g_clock_nanosleep, "clock_nanosleep");
  if (!real) return ENOSYS;
  if (!pi::watching()) return real(clock, flags, request, remaining);
  timespec ask = *request, left{};
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(clock, flags, &ask, &left);
    if (rc != EINTR || ps::deliveries() == before) {
      if (rc == EINTR && remaining && !(flags & TIMER_ABSTIME)) *remaining = left;
      return rc;
    }
    if (!(flags & TIMER_ABSTIME)) ask = left;  // an absolute deadline stays as it was
  }
}

PROF_SHIM_EXPORT int poll(pollfd* fds, nfds_t count, int timeout_ms) {
  auto real = pi::lookup(pi::g_poll, "poll");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(fds, count, timeout_ms);
  const std::int64_t deadline = pi::now_ns() + static_cast<std::int64_t>(timeout_ms) * 1000000;
  int wait = timeout_ms;
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(fds, count, wait);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout_ms > 0) wait = pi::ms_left(deadline);
  }
}

// What fortified programs (-D_FORTIFY_SOURCE, as Debian builds its packages) call for poll and ppoll on an
// array of known size: glibc's versions check the size and call its own poll inside, past our wrapper.
extern "C" [[noreturn]] void __chk_fail();

PROF_SHIM_EXPORT int __poll_chk(pollfd* fds, nfds_t count, int timeout_ms, std::size_t fds_bytes) {
  if (fds_bytes / sizeof(*fds) < count) __chk_fail();
  return poll(fds, count, timeout_ms);
}

PROF_SHIM_EXPORT int ppoll(pollfd* fds, nfds_t count, const timespec* timeout, const sigset_t* mask) {
  auto real = pi::lookup(pi::g_ppoll, "ppoll");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(fds, count, timeout, mask);
  const std::int64_t deadline = timeout ? pi::now_ns() + pi::ns_of(*timeout) : 0;
  timespec left = timeout ? *timeout : timespec{};
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(fds, count, timeout ? &left : nullptr, mask);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout) left = pi::to_timespec(deadline - pi::now_ns());
  }
}

PROF_SHIM_EXPORT int __ppoll_chk(pollfd* fds, nfds_t count, const timespec* timeout, const sigset_t* mask,
                                 std::size_t fds_bytes) {
  if (fds_bytes / sizeof(*fds) < count) __chk_fail();
  return ppoll(fds, count, timeout, mask);
}

// Linux's select leaves the sets alone when it fails and writes the time left into `timeout`: the same
// arguments go on where it stopped.
PROF_SHIM_EXPORT int select(int count, fd_set* read, fd_set* write, fd_set* error, timeval* timeout) {
  auto real = pi::lookup(pi::g_select, "select");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(count, read, write, error, timeout);
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(count, read, write, error, timeout);
    if (!pi::cut_by_sample(rc, before)) return rc;
  }
}

PROF_SHIM_EXPORT int pselect(int count, fd_set* read, fd_set* write, fd_set* error, const timespec* timeout,
                             const sigset_t* mask) {
  auto real = pi::lookup(pi::g_pselect, "pselect");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(count, read, write, error, timeout, mask);
  const std::int64_t deadline = timeout ? pi::now_ns() + pi::ns_of(*timeout) : 0;
  timespec left = timeout ? *timeout : timespec{};
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(count, read, write, error, timeout ? &left : nullptr, mask);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout) left = pi::to_timespec(deadline - pi::now_ns());
  }
}

PROF_SHIM_EXPORT int epoll_wait(int epoll, epoll_event* events, int most, int timeout_ms) {
  auto real = pi::lookup(pi::g_epoll_wait, "epoll_wait");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(epoll, events, most, timeout_ms);
  const std::int64_t deadline = pi::now_ns() + static_cast<std::int64_t>(timeout_ms) * 1000000;
  int wait = timeout_ms;
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(epoll, events, most, wait);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout_ms > 0) wait = pi::ms_left(deadline);
  }
}

PROF_SHIM_EXPORT int epoll_pwait(int epoll, epoll_event* events, int most, int timeout_ms,
                                 const sigset_t* mask) {
  auto real = pi::lookup(pi::g_epoll_pwait, "epoll_pwait");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(epoll, events, most, timeout_ms, mask);
  const std::int64_t deadline = pi::now_ns() + static_cast<std::int64_t>(timeout_ms) * 1000000;
  int wait = timeout_ms;
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(epoll, events, most, wait, mask);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout_ms > 0) wait = pi::ms_left(deadline);
  }
}

// pause returns only when a handler ran: one of the sampler's is not the signal the program waits for.
PROF_SHIM_EXPORT int pause() {
  auto real = pi::lookup(pi::g_pause, "pause");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real();
    if (!pi::watching() || !pi::cut_by_sample(rc, before)) return rc;
  }
}

// sem_timedwait and sem_clockwait wait to an absolute deadline (their futex wait is not restarted after a
// handler): the same arguments go on. sem_wait is restarted by the kernel (SA_RESTART).
PROF_SHIM_EXPORT int sem_timedwait(sem_t* semaphore, const timespec* deadline) {
  auto real = pi::lookup(pi::g_sem_timedwait, "sem_timedwait");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(semaphore, deadline);
    if (!pi::watching() || !pi::cut_by_sample(rc, before)) return rc;
  }
}

PROF_SHIM_EXPORT int sem_clockwait(sem_t* semaphore, clockid_t clock, const timespec* deadline) {
  auto real = pi::lookup(pi::g_sem_clockwait, "sem_clockwait");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(semaphore, clock, deadline);
    if (!pi::watching() || !pi::cut_by_sample(rc, before)) return rc;
  }
}

// Waiting for a blocked signal: a sample's handler is not the signal waited for.
PROF_SHIM_EXPORT int sigwaitinfo(const sigset_t* set, siginfo_t* info) {
  auto real = pi::lookup(pi::g_sigwaitinfo, "sigwaitinfo");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(set, info);
    if (!pi::watching() || !pi::cut_by_sample(rc, before)) return rc;
  }
}

PROF_SHIM_EXPORT int sigtimedwait(const sigset_t* set, siginfo_t* info, const timespec* timeout) {
  auto real = pi::lookup(pi::g_sigtimedwait, "sigtimedwait");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  if (!pi::watching()) return real(set, info, timeout);
  const std::int64_t deadline = timeout ? pi::now_ns() + pi::ns_of(*timeout) : 0;
  timespec left = timeout ? *timeout : timespec{};
  for (;;) {
    const std::uint64_t before = ps::deliveries();
    int rc = real(set, info, timeout ? &left : nullptr);
    if (!pi::cut_by_sample(rc, before)) return rc;
    if (timeout) left = pi::to_timespec(deadline - pi::now_ns());
  }
}
