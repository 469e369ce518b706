#pragma once
// The sampling CPU profiler: every thread gets a timer on its own CPU-time clock
// (timer_create(CLOCK_THREAD_CPUTIME_ID), SIGEV_THREAD_ID to that thread), so it fires only while the thread
// runs and a thread's samples are proportional to the CPU time it spends. Each expiry sends the shim's
// realtime signal to that thread; the handler unwinds the interrupted stack and counts it in the table.
// PROF_SAMPLE_HZ (default 199, 0 for off) is the rate per thread of CPU time.
//
// PROF_SAMPLE_CLOCK=wall samples on CLOCK_MONOTONIC instead, still one timer per thread delivered to that
// thread, so time blocked in I/O, locks, sleeps and MPI waits is sampled too: a sample is "waiting" when the
// thread's CPU time advanced by less than half the periods since its previous sample, else "running". Such a
// timer does fire while the thread sleeps: calls the kernel restarts under SA_RESTART (read, write, wait,
// futex-based locks) resume unseen, and the calls the kernel never restarts (nanosleep, poll, select,
// epoll_wait...) are wrapped to run with the signal blocked, its samples taken right after
// (sampling/interruptions.hpp).
//
// Why this never makes a blocking call fail: a CPU-time timer expires only in the thread's own context (the
// kernel checks CPU timers on return to user mode, x86-64 POSIX_CPU_TIMERS_TASK_WORK), never while the thread
// sleeps, so the signal is delivered after a system call has finished, not during it; SA_RESTART covers the
// rest. tests/sampling/sampling_eintr_test checks nanosleep, read and poll.

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
