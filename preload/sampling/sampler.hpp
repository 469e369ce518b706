#pragma once
// The sampling CPU profiler: each thread's expiries send the shim's realtime signal to that thread
// (SIGEV_THREAD_ID); the handler unwinds the interrupted stack and counts it in the table. PROF_SAMPLE_HZ
// (default 199, 0 for off) is the rate per thread.
//
// On CPU time (the default) a thread has two timers, one armed at a time. Its CPU-time timer
// (CLOCK_THREAD_CPUTIME_ID) fires only while it runs, so a thread that waits costs nothing, and rides the
// kernel's tick; but the kernel checks those only at a tick that finds the thread running, so when threads
// outnumber cores most expiries came late as overruns on a later stack (a planted 60/30/10 % read 71/29/0
// beside three CPU hogs). Its CLOCK_MONOTONIC timer is delivered on time under any load, but wakes a waiting
// thread and costs a timer interrupt per expiry. So a thread samples on the monotonic timer while it shares
// its core and on the CPU-time one while it has a core to itself or waits (sampler.cpp, cpu_sample says
// when each hands over). Either way a sample weighs the whole periods of CPU time the thread ran since the
// previous one, the rest carried; time still carried at the thread's end or when the snapshot is written
// lands on its last sampled stack.

// PROF_SAMPLE_CLOCK=wall samples every period on one CLOCK_MONOTONIC timer per thread, so time blocked in
// I/O, locks, sleeps and MPI waits is sampled too: a sample is "waiting" when the thread's CPU time advanced
// by less than half the periods since its previous sample, else "running".
//
// Why this never makes a blocking call fail: a CPU-time timer expires only in the thread's own context,
// never while it sleeps. A monotonic timer does fire while the thread sleeps: calls the kernel restarts under
// SA_RESTART (read, write, wait, futex-based locks) resume unseen (once: that expiry hands back to the
// CPU-time timer), and the calls the kernel never restarts (nanosleep, poll, select, epoll_wait...) are
// wrapped (sampling/interruptions.hpp): on the CPU clock the wrapper hands back to the CPU-time timer before
// the call, on the wall clock it runs the call with the signal blocked and its samples are taken right after.
// tests/sampling/sampling_eintr_test checks nanosleep, read and poll.

#include <pthread.h>
#include <signal.h>

#include <cstdint>

namespace prof::preload::sampling {

// At start-up, after the memory tracer (whose unwinder and shared stack tables the samples use): reads
// PROF_SAMPLE_HZ, installs the handler and arms the main thread. Off when PROF_SAMPLE_HZ=0, when the
// memory tracer is off, or when the program already handles the shim's signal.
void start() noexcept;

// The thread start routine and argument to give the real pthread_create, so that the new thread arms its
// own timer before running `start`: unchanged when sampling is off or no slot is free.
struct ThreadStart {
  void* (*start)(void*);
  void* arg;
};
ThreadStart wrap_thread_start(void* (*start)(void*), void* arg) noexcept;
// pthread_create failed: the slot wrap_thread_start took goes back.
void unwrap_failed(const ThreadStart& wrapped) noexcept;

// In a fork child (pthread_atfork): timers are not inherited, the parent's counts are not the child's.
void after_fork_in_child() noexcept;

// The signal the sampler uses, and whether it is sampling now.
int signal_number() noexcept;
bool active() noexcept;
unsigned hz() noexcept;
// PROF_SAMPLE_CLOCK=wall: samples on the monotonic clock, each one running or waiting.
bool wall_clock() noexcept;
// CPU clock: the calling thread is about to wait in a blocking call (sampling/interruptions.hpp): its
// CPU-time timer takes over if the monotonic one was armed, so nothing wakes it while it waits and the call
// cannot fail with EINTR for a sample.
void going_to_wait() noexcept;
// CPU clock: the calling thread's CPU time not counted in a sample yet goes onto its last sampled stack
// (whole periods, rounded), before the snapshot is written.
void flush_thread() noexcept;
// The wrapped blocking call `call` (the real libc function) has just returned with the sampler's signal
// blocked (wall clock, sampling/interruptions.hpp): the samples held pending meanwhile are delivered on the
// next unblock, and are reported with `call` as their innermost frame instead of the unblocking call.
// Null again right after the unblock.
void set_ending_call(const void* call) noexcept;

// Whether `signal` is the one the sampler is using now.
bool owns(int signal) noexcept;

// The program's sigaction on the sampler's signal (process/fatal_signals.cpp asks first): asking, or setting
// SIG_DFL, is answered here with SIG_DFL (rc 0, true) while sampling goes on; a handler or SIG_IGN of the
// program's own makes sampling step aside, and false lets the real sigaction set it.
bool intercept_sigaction(int signal, const struct sigaction* act, struct sigaction* old, int& rc) noexcept;

// The program takes over the shim's signal or profiles itself (SIGPROF, ITIMER_PROF): sampling stops in
// every thread, with one line on stderr naming `why`.
void step_aside(const char* why) noexcept;

}  // namespace prof::preload::sampling
