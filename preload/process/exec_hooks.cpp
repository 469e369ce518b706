#include "process/exec_hooks.hpp"

#include <dlfcn.h>
#include <unistd.h>
#include <cerrno>
#include <cstdarg>
#include <cstddef>

#include "export.hpp"
#include "process/environment.hpp"
#include "recorder.hpp"

extern char** environ;

namespace prof::preload::exec_hooks {

namespace {

using ExecveFn = int (*)(const char*, char* const*, char* const*);
using ExecvFn = int (*)(const char*, char* const*);
using FexecveFn = int (*)(int, char* const*, char* const*);

ExecveFn g_execve = nullptr;
ExecvFn g_execvp = nullptr;
ExecveFn g_execvpe = nullptr;
FexecveFn g_fexecve = nullptr;

// Environments and argument lists bigger than this go through unchanged (no allocation is possible here).
constexpr std::size_t kMaxEntries = 4096;
constexpr std::size_t kMaxEnvironment = 1024;
constexpr std::size_t kMaxPreload = 4096;

template <typename Fn>
Fn lookup(const char* name) noexcept {
  return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

// The old image's snapshot, written without disturbing errno (the exec's own errno is what counts).
void before_exec() noexcept {
  int saved = errno;
  recorder::write_before_exec();
  errno = saved;
}

// An exec that returns has failed: the snapshot written before it goes (errno kept for the caller).
int after_exec(int rc) noexcept {
  recorder::exec_failed();
  return rc;
}

// Holds the rewritten environment for the duration of one exec call.
struct ExecEnvironment {
  char* slots[kMaxEnvironment];
  char text[kMaxPreload];

  char* const* prepare(char* const* envp) noexcept {
    if (recorder::follows_children()) return envp;
    return environment::without_shim(envp, slots, kMaxEnvironment, text, sizeof text);
  }
};

int missing() noexcept {
  errno = ENOSYS;
  return -1;
}

// The argument list of execl, execlp and execle as an argv. `args` is taken by reference so that execle can
// read its envp after the list.
struct ArgList {
  char* argv[kMaxEntries];
  bool fits = true;

  void collect(const char* first, va_list& args) noexcept {
    std::size_t count = 0;
    argv[count++] = const_cast<char*>(first);
    while (argv[count - 1]) {
      if (count == kMaxEntries) {
        fits = false;
        return;
      }
      argv[count++] = va_arg(args, char*);
    }
  }
};

int too_many_arguments() noexcept {
  errno = E2BIG;
  return -1;
}

}  // namespace

void resolve() noexcept {
  if (!g_execve) g_execve = lookup<ExecveFn>("execve");
  if (!g_execvp) g_execvp = lookup<ExecvFn>("execvp");
  if (!g_execvpe) g_execvpe = lookup<ExecveFn>("execvpe");
  if (!g_fexecve) g_fexecve = lookup<FexecveFn>("fexecve");
}

int run_execve(const char* path, char* const* argv, char* const* envp) noexcept {
  if (!g_execve) resolve();
  if (!g_execve) return missing();
  before_exec();
  ExecEnvironment env;
  return after_exec(g_execve(path, argv, env.prepare(envp)));
}

int run_execvpe(const char* file, char* const* argv, char* const* envp) noexcept {
  if (!g_execvpe) resolve();
  if (!g_execvpe) return missing();
  before_exec();
  ExecEnvironment env;
  return after_exec(g_execvpe(file, argv, env.prepare(envp)));
}

}  // namespace prof::preload::exec_hooks

namespace ex = prof::preload::exec_hooks;

PROF_SHIM_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) noexcept {
  return ex::run_execve(path, argv, envp);
}

PROF_SHIM_EXPORT int execv(const char* path, char* const argv[]) noexcept {
  return ex::run_execve(path, argv, environ);
}

PROF_SHIM_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) noexcept {
  return ex::run_execvpe(file, argv, envp);
}

PROF_SHIM_EXPORT int execvp(const char* file, char* const argv[]) noexcept {
  return ex::run_execvpe(file, argv, environ);
}

PROF_SHIM_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) noexcept {
  if (!ex::g_fexecve) ex::resolve();
  if (!ex::g_fexecve) return ex::missing();
  ex::before_exec();
  ex::ExecEnvironment env;
  return ex::after_exec(ex::g_fexecve(fd, argv, env.prepare(envp)));
}

PROF_SHIM_EXPORT int execl(const char* path, const char* arg, ...) noexcept {
  ex::ArgList list;
  va_list args;
  va_start(args, arg);
  list.collect(arg, args);
  va_end(args);
  return list.fits ? ex::run_execve(path, list.argv, environ) : ex::too_many_arguments();
}

PROF_SHIM_EXPORT int execlp(const char* file, const char* arg, ...) noexcept {
  ex::ArgList list;
  va_list args;
  va_start(args, arg);
  list.collect(arg, args);
  va_end(args);
  return list.fits ? ex::run_execvpe(file, list.argv, environ) : ex::too_many_arguments();
}

PROF_SHIM_EXPORT int execle(const char* path, const char* arg, ...) noexcept {
  ex::ArgList list;
  va_list args;
  va_start(args, arg);
  list.collect(arg, args);
  char* const* envp = list.fits ? va_arg(args, char* const*) : nullptr;
  va_end(args);
  return list.fits ? ex::run_execve(path, list.argv, envp) : ex::too_many_arguments();
}
