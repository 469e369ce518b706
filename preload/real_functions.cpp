#include "real_functions.hpp"

#include <dlfcn.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>

namespace prof::preload::real {

namespace {

std::atomic<SigactionFn> g_sigaction{nullptr};
std::atomic<SignalFn> g_signal{nullptr};
std::atomic<SignalFn> g_sysv_signal{nullptr};
std::atomic<SignalFn> g_sigset{nullptr};
std::atomic<ExitFn> g_exit{nullptr};
std::atomic<ExitFn> g_quick_exit{nullptr};
std::atomic<AbortFn> g_abort{nullptr};
std::atomic<ExitFn> g_exit_now{nullptr};
std::atomic<PthreadCreateFn> g_pthread_create{nullptr};

}  // namespace

void resolve() noexcept {
  lookup(g_sigaction, "sigaction");
  lookup(g_signal, "signal");
  lookup(g_sysv_signal, "sysv_signal");
  lookup(g_sigset, "sigset");
  lookup(g_exit, "exit");
  lookup(g_quick_exit, "quick_exit");
  lookup(g_abort, "abort");
  lookup(g_exit_now, "_exit");
  lookup(g_pthread_create, "pthread_create");
}

int sigaction(int signal, const struct sigaction* act, struct sigaction* old) noexcept {
  if (auto fn = lookup(g_sigaction, "sigaction")) return fn(signal, act, old);
  errno = ENOSYS;
  return -1;
}

sighandler_t signal(int signal, sighandler_t handler) noexcept {
  if (auto fn = lookup(g_signal, "signal")) return fn(signal, handler);
  errno = ENOSYS;
  return SIG_ERR;
}

SignalFn signal_function(SignalKind kind) noexcept {
  switch (kind) {
    case SignalKind::sysv:
      return lookup(g_sysv_signal, "sysv_signal");
    case SignalKind::sigset:
      return lookup(g_sigset, "sigset");
    case SignalKind::bsd:
      break;
  }
  return lookup(g_signal, "signal");
}

void exit(int code) noexcept {
  if (auto fn = lookup(g_exit, "exit")) fn(code);
  exit_now(code);
}

void quick_exit(int code) noexcept {
  if (auto fn = lookup(g_quick_exit, "quick_exit")) fn(code);
  exit_now(code);
}

void exit_now(int code) noexcept {
  if (auto fn = g_exit_now.load(std::memory_order_acquire)) fn(code);
  // What _exit does, for the case the lookup never happened (no dlsym here: a vfork child may be running).
  for (;;)
    syscall(SYS_exit_group, code);
}

void abort() noexcept {
  if (auto fn = lookup(g_abort, "abort")) fn();
  ::raise(SIGABRT);
  exit_now(128 + SIGABRT);
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) noexcept {
  if (auto fn = lookup(g_pthread_create, "pthread_create")) return fn(thread, attr, start, arg);
  return ENOSYS;
}

}  // namespace prof::preload::real
