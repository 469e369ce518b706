// libprof_preload.so: LD_PRELOAD it into any program and the program leaves a snapshot
// (docs/SNAPSHOT.md, writer "preload") when it ends, however it ends: return from main, exit, _exit, or a
// fatal signal. The program itself must not notice: same output, exit status, signals, fork and exec.

#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>

#include "core/clock.hpp"
#include "core/output_dir.hpp"
#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"
#include "export.hpp"
#include "memory/free_queue.hpp"
#include "memory/tracer.hpp"
#include "process/environment.hpp"
#include "process/exec_hooks.hpp"
#include "process/fatal_signals.hpp"
#include "process/on_demand.hpp"
#include "process/runtime_threads.hpp"
#include "process/secure_environment.hpp"
#include "real_functions.hpp"
#include "recorder.hpp"
#include "sampling/sampler.hpp"
#include "warning.hpp"

extern char** environ;

namespace prof::preload {

namespace {

using MainFn = int (*)(int, char**, char**);
using StartMainFn = int (*)(MainFn, int, char**, void (*)(), void (*)(), void (*)(), void*);

MainFn g_program_main = nullptr;

// Signals wait from the start of fork's handlers until the child has become a process of its own (its pid,
// its empty tables): a SIGTERM sent to a child that never ran yet (a pool's terminate() on a busy machine) is
// handled as the child first returns from fork, and there it would have been taken for its parent and left
// no snapshot. The program's own fork handlers run outside the window (its prepare handlers before ours, its
// child handlers after), with its own signal mask. Synchronous signals stay unblocked: a fault stays a crash.
thread_local sigset_t tl_mask_before_fork __attribute__((tls_model("initial-exec")));

void hold_signals_for_fork() noexcept {
  sigset_t held;
  sigfillset(&held);
  for (int synchronous : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT})
    sigdelset(&held, synchronous);
  pthread_sigmask(SIG_BLOCK, &held, &tl_mask_before_fork);
}

void release_signals_after_fork() noexcept {
  pthread_sigmask(SIG_SETMASK, &tl_mask_before_fork, nullptr);
}

void after_fork_in_child() noexcept {
  core::meta::reset_after_fork();
  core::clock::reset_baseline();
  recorder::reset_after_fork();
  on_demand::reset_after_fork();
  sampling::after_fork_in_child();
  release_signals_after_fork();
}

int main_recording_exit(int argc, char** argv, char** envp) {
  if (memory::active()) memory::learn_main_tail();
  int code = g_program_main(argc, argv, envp);
  recorder::record_exit_code(code);
  return code;
}

// glibc passes argc, argv and envp to ELF constructors; that is how the shim sees argv without /proc.
__attribute__((constructor)) void start(int argc, char** argv, char** envp) {
  int saved = errno;
  if (!envp) envp = environ;
  // Before anything could warn: which file stderr is, so that a later fd 2 of the program's own stays clean.
  warning::remember_stderr();
  core::set_warning_writer(warning::write_line);
  real::resolve();
  core::clock::init();
  core::meta::capture_start(argc, argv, envp);
  core::output_dir::resolve(secure_environment::lookup(envp, "PROF_OUTPUT"));
  recorder::init(envp);
  exec_hooks::resolve();
  // Before the program's main copies environ (bash keeps its own copy), so no child of it loads the shim.
  if (!recorder::follows_children()) environment::remove_shim_from_environ();
  memory::start();
  sampling::start();
  on_demand::start();
  // Registered after the tracer's: its prepare handler runs first, its child handler last (fork runs them in
  // those orders), so the window covers every fork handler of the shim.
  pthread_atfork(hold_signals_for_fork, release_signals_after_fork, after_fork_in_child);
  fatal_signals::install();
  errno = saved;
}

__attribute__((destructor)) void stop() {
  recorder::finish_exited();
}

}  // namespace

}  // namespace prof::preload

namespace pp = prof::preload;

PROF_SHIM_EXPORT int __libc_start_main(pp::MainFn program_main, int argc, char** argv, void (*init)(),
                                       void (*fini)(), void (*rtld_fini)(), void* stack_end) {
  pp::g_program_main = program_main;
  auto real_start = reinterpret_cast<pp::StartMainFn>(dlsym(RTLD_NEXT, "__libc_start_main"));
  if (!real_start) std::exit(program_main(argc, argv, environ));
  return real_start(pp::main_recording_exit, argc, argv, init, fini, rtld_fini, stack_end);
}

PROF_SHIM_EXPORT void exit(int code) noexcept {
  pp::recorder::record_exit_code(code);
  pp::real::exit(code);
}

PROF_SHIM_EXPORT void quick_exit(int code) noexcept {
  // at_quick_exit handlers run, destructors do not: write now.
  int saved = errno;
  pp::recorder::record_exit_code(code);
  pp::recorder::finish_exited();
  errno = saved;
  pp::real::quick_exit(code);
}

// dash's `exit 3` and every exec failure path in a child end here; destructors will not run.
PROF_SHIM_EXPORT void _exit(int code) {
  pp::recorder::record_exit_code(code);
  pp::recorder::finish_exited();
  pp::real::exit_now(code);
}

PROF_SHIM_EXPORT void _Exit(int code) noexcept {
  pp::recorder::record_exit_code(code);
  pp::recorder::finish_exited();
  pp::real::exit_now(code);
}

// A program that calls abort() itself still leaves its snapshot; the SIGABRT that follows is the real one.
// (abort from inside libc, as assert's, does not come through here: no snapshot, as for any crash.)
// When the program has its own SIGABRT handler, that handler may siglongjmp out and the process go on: the
// first step of glibc's abort (unblock, raise) is done here, before anything is written, and only when the
// handler returns is the end certain; then, as glibc does, the default action is restored so that the
// handler runs once in all.
PROF_SHIM_EXPORT void abort() noexcept {
  int saved = errno;
  struct sigaction current;
  if (pp::real::sigaction(SIGABRT, nullptr, &current) == 0 &&
      ((current.sa_flags & SA_SIGINFO) || (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN))) {
    sigset_t abrt;
    sigemptyset(&abrt);
    sigaddset(&abrt, SIGABRT);
    pthread_sigmask(SIG_UNBLOCK, &abrt, nullptr);
    ::raise(SIGABRT);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigfillset(&dfl.sa_mask);
    pp::real::sigaction(SIGABRT, &dfl, nullptr);
  }
  pp::recorder::finish_signaled(SIGABRT);
  errno = saved;
  pp::real::abort();
}

PROF_SHIM_EXPORT int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                                    void* arg) noexcept {
  pp::on_demand::safe_point();
  // While the process has one thread, frees are counted a few frees late (memory/free_queue.hpp): not past
  // this point, where other threads start counting too.
  pp::memory::free_queue::flush();
  // The new thread arms its own CPU-time timer before it runs `start` (sampling/sampler.hpp).
  pp::sampling::ThreadStart wrapped = pp::sampling::wrap_thread_start(start, arg);
  int rc = pp::real::pthread_create(thread, attr, wrapped.start, wrapped.arg);
  if (rc != 0) pp::sampling::unwrap_failed(wrapped);
  if (rc == 0) prof::core::meta::note_thread_created(prof::preload::started_by_mpi_runtime(start));
  return rc;
}
