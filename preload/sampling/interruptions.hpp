#pragma once
// The kernel never restarts some calls after a handler ran, SA_RESTART or not: nanosleep, clock_nanosleep,
// poll, ppoll, select, pselect, epoll_wait, epoll_pwait, pause, sigsuspend, sem_timedwait, sem_clockwait,
// sigwaitinfo, sigtimedwait and System V's semop, semtimedop, msgrcv and msgsnd return EINTR. The shim wraps
// those (and sleep, usleep, whose glibc versions call nanosleep internally) so that a sample never interrupts
// them:
// - on the CPU clock (the default) the thread's CPU-time timer, which never fires while the thread sleeps,
//   takes over from its monotonic one before the call (sampling/sampler.hpp): then the wrapper is a check
//   and the real call;
// - on the wall clock, whose timer fires while the thread sleeps, the call runs with the sampler's signal
//   blocked on the thread (added to a copy of the mask ppoll, pselect, epoll_pwait and sigsuspend take), and
//   an EINTR it returns is the program's own signal's, given back as is. The timer's expiries meanwhile stay
//   pending and come as one signal right after the call, counted with its overrun (the periods missed) on
//   the call's stack, waiting.
//
// Fortified programs' __poll_chk and __ppoll_chk are wrapped too (glibc's call its own poll inside). Not
// covered: these calls made by raw syscall(2), io_getevents (libaio makes the system call itself) and socket
// calls on a socket with a receive or send timeout (SO_RCVTIMEO, SO_SNDTIMEO), which the kernel does not
// restart either. A thread still inside such a call when the process ends (or
// leaving it by longjmp from a handler, without the saved mask) loses the samples it held.

namespace prof::preload::sampling::interruptions {

// Looks the real functions up (dlsym), at start-up: later lookups could allocate.
void resolve() noexcept;

}  // namespace prof::preload::sampling::interruptions
