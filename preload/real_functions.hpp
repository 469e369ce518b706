#pragma once
// The libc functions the shim wraps, looked up once with dlsym(RTLD_NEXT) in the constructor: later lookups
// could allocate, which a vfork child or a signal handler must not do.

#include <dlfcn.h>
#include <pthread.h>
#include <atomic>
#include <cerrno>
#include <csignal>

namespace prof::preload::real {

// The next definition of `name` after the shim's, found once and kept in `slot` (errno kept: dlsym may set
// it, and a wrapper must leave the program's errno as the real call leaves it).
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

using SigactionFn = int (*)(int, const struct sigaction*, struct sigaction*);
using SignalFn = sighandler_t (*)(int, sighandler_t);
using ExitFn = void (*)(int);
using AbortFn = void (*)();
using PthreadCreateFn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);

// Resolves every pointer that is still null; called from the constructor, and lazily by a wrapper that runs
// before it (another library's constructor).
void resolve() noexcept;

int sigaction(int signal, const struct sigaction* act, struct sigaction* old) noexcept;
sighandler_t signal(int signal, sighandler_t handler) noexcept;
// The real functions behind the program's other ways to set a handler: bsd (signal, bsd_signal, ssignal),
// sysv (sysv_signal) and sigset; null when libc has none.
enum class SignalKind { bsd, sysv, sigset };
SignalFn signal_function(SignalKind kind) noexcept;
[[noreturn]] void exit(int code) noexcept;
[[noreturn]] void quick_exit(int code) noexcept;
[[noreturn]] void exit_now(int code) noexcept;  // _exit and _Exit
[[noreturn]] void abort() noexcept;
int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) noexcept;

}  // namespace prof::preload::real
