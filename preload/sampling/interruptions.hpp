#pragma once
// On the wall clock the sampler's timer fires while a thread sleeps, and the kernel never restarts some calls
// after a handler ran, SA_RESTART or not: nanosleep, clock_nanosleep, poll, ppoll, select, pselect,
// epoll_wait, epoll_pwait, pause, sem_timedwait, sem_clockwait, sigwaitinfo and sigtimedwait return EINTR.
// The shim wraps those (and sleep, usleep, whose glibc versions call nanosleep internally): when the call
// failed with EINTR and a sample was taken on this thread meanwhile, it goes on with what is left of its
// timeout, so a program that does not handle EINTR sees the call return as without prof. On the CPU clock
// (the default) a wrapper is one check and the real call.
//
// Fortified programs' __poll_chk and __ppoll_chk are wrapped too (glibc's call its own poll inside). Not
// covered: these calls made by raw syscall(2). A signal of the program's own that lands during the same call
// is taken for a sample's.

namespace prof::preload::sampling::interruptions {

// Looks the real functions up (dlsym), at start-up: later lookups could allocate.
void resolve() noexcept;

}  // namespace prof::preload::sampling::interruptions
