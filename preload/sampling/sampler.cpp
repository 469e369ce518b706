#include "sampling/sampler.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "memory/tracer.hpp"
#include "memory/unwind_steps.hpp"
#include "real_functions.hpp"
#include "sampling/interruptions.hpp"
#include "sampling/loader_lock.hpp"
#include "sampling/section.hpp"
#include "sampling/table.hpp"
#include "sampling/threads.hpp"
#include "settings.hpp"
#include "warning.hpp"

namespace prof::preload::sampling {

namespace {

constexpr unsigned kDefaultHz = 199;  // prime: never in lockstep with a program's own periodic work
constexpr unsigned kMaxHz = 10000;
// Frames above the interrupted one: this handler, the signal trampoline, libunwind's own; a few to spare.
constexpr int kOwnFrames = 8;
// A thread's first samples are walked frame by frame (step_from), the rest with libunwind's trace cache.
constexpr std::uint64_t kSteppedSamples = 32;
constexpr int kThreadSlots = 1024;
constexpr int kMaxTimers = 4096;
// CPU clock, monotonic timer: an expiry handled this long after it was due found its thread off the CPU
// (delivery to a running thread takes microseconds; a preempted one waits for a whole slice of another).
constexpr std::int64_t kPromptNs = 30000;
// CPU clock, monotonic timer: the step by which a thread's usual delivery time follows its prompt expiries
// (a running median), and where it starts.
constexpr std::int64_t kDeliveryStepNs = 500;
constexpr std::int64_t kFirstDeliveryNs = kPromptNs / 2;
// CPU clock: monotonic expiries on time in a row before the CPU-time timer is tried again, and how late
// (beyond its period) a CPU-time expiry must come to hand over to the monotonic timer: two ticks at HZ=250.
constexpr int kPromptRun = 32;
constexpr std::int64_t kLateCpuNs = 8000000;
constexpr std::int64_t kTickNs = 4000000;
// CPU clock: a late monotonic expiry (the thread was waiting for a CPU) is tried again this soon after.
constexpr std::int64_t kRetryNs = 300000;
// CPU clock: periods carried without a prompt expiry before a late one is taken all the same (a thread that
// is always preempted when its timer expires still has its time counted, on a stack of its own phase).
constexpr std::int64_t kMaxCarriedPeriods = 8;
// What each sigevent says in si_value: which of a thread's two timers expired.
constexpr int kCpuTimer = 0;
constexpr int kMonotonicTimer = 1;

std::atomic<bool> g_active{false};
unsigned g_hz = 0;
bool g_wall = false;  // PROF_SAMPLE_CLOCK=wall: every thread sampled on the monotonic clock, blocked or not
int g_signal = 0;
pthread_key_t g_timer_key;

// Every live timer (id + 1; 0 is a free entry), so that stepping aside can delete them all from one thread.
// Whoever exchanges an entry to 0 deletes its timer: the thread at its end, or step_aside. On the CPU clock
// a thread has two, same index: its CPU-time timer in g_timers, its monotonic one in g_monotonic_timers.
std::atomic<std::intptr_t> g_timers[kMaxTimers];
std::atomic<std::intptr_t> g_monotonic_timers[kMaxTimers];

// Each thread's entry in g_timers, claimed at its start and given back at its end (the key's destructor).
thread_local int tl_timer = -1;
// The entry the thread's last sample went to: at its end, the time not counted yet goes there (flush).
thread_local std::int64_t tl_last_entry = -1;
// The same for its last sample taken away from a system call's return, where the carried time goes: a thread
// that reads its own CPU clock now and then has some samples there by right (0.3-0.7 % of planted_self's),
// and eight periods carried onto one of them put 3-4 % of its samples on clock_gettime beside nine busy
// processes.
thread_local std::int64_t tl_carry_entry = -1;

// Where time run but not sampled is counted: the last stack sampled in the thread's own code, else its last.
std::int64_t carry_entry() noexcept {
  return tl_carry_entry >= 0 ? tl_carry_entry : tl_last_entry;
}
// CPU clock (sampling/sampler.hpp says why two timers): the thread's two timers, which one is armed, when
// the monotonic one was set (its expiries are due every period from then), and the CPU time run but not
// counted in a sample yet.
thread_local timer_t tl_cpu_timer;
thread_local timer_t tl_monotonic_timer;
thread_local int tl_armed = kCpuTimer;
thread_local std::int64_t tl_set_at_ns = 0;
thread_local std::int64_t tl_credit_ns = 0;
thread_local int tl_prompt_run = 0;  // monotonic expiries on time in a row
// The median delay from a monotonic expiry to its handler, over the thread's prompt expiries that came in
// its own code: 12-25 us in a VM (the timer interrupt goes through the host), a few on bare metal.
thread_local std::int64_t tl_delivery_ns = kFirstDeliveryNs;
thread_local bool tl_in_handler = false;
// The thread's id (asked once), its CPU time at its previous sample (wall clock: running or waiting since?),
// and its samples so far (its name is read again every kNameEvery samples).
thread_local pid_t tl_tid = 0;
thread_local std::int64_t tl_last_cpu_ns = 0;
thread_local std::uint64_t tl_samples = 0;
// The libc call a wrapper of sampling/interruptions.cpp has just finished while the signal was blocked: the
// samples it held are that call's, not those of the pthread_sigmask that lets them in.
thread_local std::uintptr_t tl_ending_call = 0;
constexpr std::uint64_t kNameEvery = 64;

// Start routines of threads being created, handed from pthread_create to the new thread without malloc.
// Every member has its initializer, so the table is zeros in .bss from the start: without them the shim's
// start zeroed its 24 KB in a loop, six page faults in every process.
struct Slot {
  std::atomic<bool> used{false};
  void* (*start)(void*) = nullptr;
  void* arg = nullptr;
};
Slot g_slots[kThreadSlots];

pid_t thread_id() noexcept {
  return static_cast<pid_t>(::syscall(SYS_gettid));
}

std::int64_t monotonic_ns() noexcept {
  struct timespec now;
  if (::clock_gettime(CLOCK_MONOTONIC, &now) != 0) return 0;
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

std::int64_t period_ns() noexcept {
  return 1000000000L / static_cast<long>(g_hz ? g_hz : 1);
}

// The timers' interval: the period, but on the CPU clock never below the kernel's tick. A CPU-time timer
// delivers at most once a tick anyway (the rest as its overrun); a monotonic one would cost a timer
// interrupt and a signal every period (~30 us each in a VM), and a sample weighs the periods it stands for.
std::int64_t interval_ns() noexcept {
  return g_wall ? period_ns() : std::max<std::int64_t>(period_ns(), kTickNs);
}

// Arms `timer` to expire after `first_ns`, then every period (0: disarms it).
bool set_timer(timer_t timer, std::int64_t first_ns) noexcept {
  struct itimerspec spec {};
  if (first_ns > 0) {
    const std::int64_t period = interval_ns();
    spec.it_interval.tv_sec = period / 1000000000L;
    spec.it_interval.tv_nsec = period % 1000000000L;
    spec.it_value.tv_sec = first_ns / 1000000000L;
    spec.it_value.tv_nsec = first_ns % 1000000000L;
  }
  return ::timer_settime(timer, 0, &spec, nullptr) == 0;
}

bool make_timer(clockid_t clock, int which, timer_t& timer) noexcept {
  struct sigevent event {};
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = g_signal;
  event.sigev_value.sival_int = which;
  event._sigev_un._tid = tl_tid;
  return ::timer_create(clock, &event, &timer) == 0;
}

std::int64_t thread_cpu_ns() noexcept {
  struct timespec now;
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void arm_current_thread() noexcept {
  if (!g_active.load(std::memory_order_acquire)) return;
  tl_tid = thread_id();
  // Wall clock: one monotonic timer (in tl_cpu_timer's place). CPU clock: both, one armed at a time.
  timer_t timer, monotonic{};
  if (!make_timer(g_wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, kCpuTimer, timer)) return;
  if (!g_wall && !make_timer(CLOCK_MONOTONIC, kMonotonicTimer, monotonic)) {
    ::timer_delete(timer);
    return;
  }
  auto give_up = [&] {
    ::timer_delete(timer);
    if (!g_wall) ::timer_delete(monotonic);
  };
  // CPU clock: a thread starts running, on its monotonic timer (a CPU-time timer's first expiry could come
  // tens of periods late on a loaded machine); if it waits, that timer's first expiry hands back.
  tl_set_at_ns = monotonic_ns();
  if (!set_timer(g_wall ? timer : monotonic, interval_ns())) return give_up();
  tl_cpu_timer = timer;
  tl_monotonic_timer = monotonic;
  tl_armed = g_wall ? kCpuTimer : kMonotonicTimer;
  tl_credit_ns = 0;
  tl_prompt_run = 0;
  tl_delivery_ns = kFirstDeliveryNs;
  tl_last_entry = -1;
  tl_carry_entry = -1;
  tl_last_cpu_ns = thread_cpu_ns();
  tl_samples = 0;
  threads::note_current(tl_tid);
  for (int i = 0; i < kMaxTimers; ++i) {
    std::intptr_t expected = 0;
    if (g_timers[i].load(std::memory_order_relaxed) == 0 &&
        g_timers[i].compare_exchange_strong(expected, reinterpret_cast<std::intptr_t>(timer) + 1)) {
      if (!g_wall) g_monotonic_timers[i].store(reinterpret_cast<std::intptr_t>(monotonic) + 1);
      tl_timer = i;
      break;
    }
  }
  if (tl_timer < 0) return give_up();  // more live threads than entries: this one goes unsampled
  // A non-null value makes the key's destructor run at the thread's end, pthread_exit included.
  pthread_setspecific(g_timer_key, reinterpret_cast<void*>(1));
}

void release(int entry) noexcept {
  std::intptr_t id = g_timers[entry].exchange(0);
  if (id) ::timer_delete(reinterpret_cast<timer_t>(id - 1));
  std::intptr_t monotonic = g_monotonic_timers[entry].exchange(0);
  if (monotonic) ::timer_delete(reinterpret_cast<timer_t>(monotonic - 1));
}

void disarm_current_thread() noexcept {
  if (tl_timer < 0) return;
  release(tl_timer);
  tl_timer = -1;
}

// CPU clock: the CPU time the thread ran and no sample counted yet (what a late expiry carried, and since its
// last sample) is counted on the stack of its last sample, rounded to whole periods: at the thread's end,
// and when the snapshot is written (a short process ends before a prompt expiry takes what it carried).
void flush_current_thread() noexcept {
  if (tl_timer < 0 || g_wall) return;
  const std::int64_t now = thread_cpu_ns();
  const std::int64_t credit = tl_credit_ns + (now - tl_last_cpu_ns);
  tl_last_cpu_ns = now;
  tl_credit_ns = 0;
  const std::int64_t period = period_ns();
  if (carry_entry() >= 0) {
    const std::int64_t due = (credit + period / 2) / period;  // to the nearest: no bias on the estimate
    if (due > 0) table::add_to(carry_entry(), static_cast<std::uint64_t>(due));
    return;
  }
  // No stack of this thread to put it on. Only whole periods are samples the timer would have taken: the
  // rest of a short process (a pool's parent that forks and waits) is no dropped sample, and the report's
  // warning about dropped samples would only alarm.
  const std::int64_t missed = credit / period;
  if (missed > 0) table::note_dropped(static_cast<std::uint64_t>(missed));
}

void thread_ended(void*) noexcept {
  if (tl_timer < 0) return;
  flush_current_thread();
  disarm_current_thread();
  threads::note_current(tl_tid);
}

void* sampled_thread(void* raw) {
  Slot* slot = static_cast<Slot*>(raw);
  void* (*start)(void*) = slot->start;
  void* arg = slot->arg;
  slot->used.store(false, std::memory_order_release);
  arm_current_thread();
  return start(arg);
}

// CPU clock: from the monotonic timer to the CPU-time one, due when the credit reaches a period.
void to_cpu_timer() noexcept {
  tl_armed = kCpuTimer;
  set_timer(tl_monotonic_timer, 0);
  set_timer(tl_cpu_timer, std::max<std::int64_t>(period_ns() - tl_credit_ns, 1000));
}

// Whether the two bytes before `pc` are a `syscall` instruction. They are read only on pc's own page: at
// the first bytes of a mapping (a jump there, not a return) the page before may be unmapped, and the signal
// handler would fault; a system call that ends exactly on a page boundary is then not recognised.
bool syscall_before(const unsigned char* pc) noexcept {
  return (reinterpret_cast<std::uintptr_t>(pc) & 4095) >= 2 && pc[-2] == 0x0f && pc[-1] == 0x05;
}

// Whether the signal interrupted a system call (x86-64): the kernel either rewound the instruction pointer
// to the `syscall` instruction to restart the call (SA_RESTART, or restart_syscall for nanosleep), or made it
// return EINTR, right after that instruction. Both instructions are code the thread has just executed.
bool in_system_call(void* context) noexcept {
  const auto& registers = static_cast<ucontext_t*>(context)->uc_mcontext.gregs;
  const auto* pc = reinterpret_cast<const unsigned char*>(registers[REG_RIP]);
  if (pc[0] == 0x0f && pc[1] == 0x05) return true;
  return syscall_before(pc) && registers[REG_RAX] == -EINTR;
}

// Whether the signal came at a system call's return (x86-64): right after the `syscall` instruction, or at
// it when the kernel rewound the instruction pointer to restart the call. A thread preempted in the kernel
// gets its pending signals there, when it has a CPU back.
bool at_system_call_return(void* context) noexcept {
  const auto* pc =
      reinterpret_cast<const unsigned char*>(static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP]);
  return (pc[0] == 0x0f && pc[1] == 0x05) || syscall_before(pc);
}

// The interrupted stack frame by frame (memory/unwind_steps.hpp), from the signal's context: its first frame
// is the interrupted instruction.
int step_from(void* context, std::uintptr_t* frames, int room) noexcept {
  unw_cursor_t cursor;
  if (unw_init_local2(&cursor, static_cast<unw_context_t*>(context), UNW_INIT_SIGNAL_FRAME) != 0) return 0;
  return memory::take_steps(cursor, frames, room);
}

// Unwinds the interrupted stack and counts `weight` samples of it under `key`.
void take_sample(void* context, table::Key key, std::uint64_t weight) noexcept {
  if (tl_samples++ % kNameEvery == 0) threads::note_current(tl_tid);
  // The memory tracer may be inside libunwind on this very thread (a malloc hook): its per-thread cache is
  // not re-entrant, so that sample is dropped rather than risk it.
  if (!memory::enter()) {
    table::note_dropped(weight);
    return;
  }
  auto pc = static_cast<std::uintptr_t>(static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP]);
  if (loader_lock::busy()) {  // unwinding could wait for the loader's lock forever (loader_lock.hpp)
    std::uintptr_t leaf = pc + 1;
    std::int64_t entry = table::add(&leaf, 1, key, weight);
    if (entry >= 0) tl_last_entry = entry;
    memory::leave();
    return;
  }
  std::uintptr_t frames[table::kMaxDepth + kOwnFrames];
  int taken = tl_samples <= kSteppedSamples
                  ? step_from(context, frames, table::kMaxDepth)
                  : unw_backtrace(reinterpret_cast<void**>(frames), table::kMaxDepth + kOwnFrames);
  int first = 0;
  while (first < taken && frames[first] != pc)
    ++first;
  if (first < taken) {
    // The instruction plus one: readers look every frame up one byte below it, as the return addresses the
    // other frames are; the instruction itself would be looked up in the code before it, the previous
    // function's or the padding between them, whenever the thread was at a function's first instruction.
    frames[first] = (tl_ending_call ? tl_ending_call : pc) + 1;
    std::int64_t entry = table::add(frames + first, static_cast<std::uint32_t>(taken - first), key, weight);
    if (entry >= 0) {
      tl_last_entry = entry;
      if (!at_system_call_return(context)) tl_carry_entry = entry;
    }
  } else {
    table::note_dropped(weight);  // the unwinder did not get through the signal frame
  }
  memory::leave();
}

// Wall clock: every period is a sample, of the stack the thread is in now (or the call it has just left):
// the expiries while a wrapped blocking call held the signal come as one with an overrun count.
void wall_sample(const siginfo_t* info, void* context) noexcept {
  std::uint64_t weight = 1 + static_cast<std::uint64_t>(info->si_overrun > 0 ? info->si_overrun : 0);
  table::Key key{tl_tid, table::State::running};
  // Waiting (blocked, sleeping, or runnable without a CPU) when the thread ran less than half of the
  // periods since its previous sample.
  const std::int64_t now = thread_cpu_ns();
  if (2 * (now - tl_last_cpu_ns) < static_cast<std::int64_t>(weight) * period_ns())
    key.state = table::State::waiting;
  tl_last_cpu_ns = now;
  take_sample(context, key, weight);
}

// CPU clock. A sample weighs the whole periods of CPU time the thread ran since the previous one, the rest
// carried, so the counts are CPU time whichever timer took them. A thread starts on its monotonic timer,
// whose expiries the kernel delivers on time however many threads share the cores. One delivered late (the
// thread was preempted when it was due) lands where the thread was preempted: in its own code, where a tick
// or a wake-up interrupted it, that is a fair point of the time it has just run; at a system call's return,
// a biased one (below, as is one there that came slower than the thread's usual delivery), so its time is
// carried and the timer tried again kRetryNs later, when the thread has a CPU back, up to kMaxCarriedPeriods.
// Carrying every late expiry moved up to 3 points of a planted program's time across its phases beside eight
// busy processes. kPromptRun expiries on time in a row hand over to the CPU-time timer (cheaper: no timer
// interrupt of its own), whose expiry, delivered in the thread's own context, is a sample where it runs; one
// later than kLateCpuNs beyond its period hands back. A monotonic expiry that finds the thread's CPU time
// still, in a system call, hands over too: a waiting thread is woken once per wait, not once per period.
void cpu_sample(const siginfo_t* info, void* context) noexcept {
  const std::int64_t period = period_ns();
  const std::int64_t now = thread_cpu_ns();
  const std::int64_t ran = now - tl_last_cpu_ns;
  tl_last_cpu_ns = now;
  tl_credit_ns += ran;
  // An expiry of the timer just disarmed, already queued: its time is in the credit, nothing else to do.
  if (info->si_value.sival_int != tl_armed) return;
  bool hand_back = false;
  if (tl_armed == kMonotonicTimer) {
    const std::int64_t delay = (monotonic_ns() - tl_set_at_ns) % interval_ns();
    const bool late = info->si_overrun > 0 || delay > kPromptNs;
    const bool at_return = at_system_call_return(context);
    if (!late && !at_return) tl_delivery_ns += delay > tl_delivery_ns ? kDeliveryStepNs : -kDeliveryStepNs;
    // Its CPU time (almost) still since the previous expiry (waking up is 10 to 25 us of CPU here, more on a
    // slow machine), and the signal cut a system call short: the thread was blocked (in a call the shim does
    // not wrap: a futex, a read), woken by this signal. A thread preempted
    // right after the previous sample's handler (its sigreturn is a point where the scheduler preempts) looks
    // still too, but it is in its own code: it stays on the monotonic timer, or the CPU-time timer would have
    // its samples late by tens of periods.
    if (ran < period / 8 && in_system_call(context)) {
      to_cpu_timer();
      return;
    }
    // kPromptRun expiries on time in a row: the thread has a core to itself, where the CPU-time timer is
    // on time too and cheaper (no timer interrupt of its own, at most one signal per tick).
    tl_prompt_run = late ? 0 : tl_prompt_run + 1;
    hand_back = tl_prompt_run >= kPromptRun;
    if (tl_credit_ns < period) return;
    // At a system call's return, a late expiry is where the scheduler preempts a thread that reads its own
    // CPU clock (its run time is brought up to date there and its slice found used up), not where its time
    // went: taken there, 5 to 14 % of a planted program's samples landed on clock_gettime beside eight busy
    // processes. So is one on time but slower than the thread's usual delivery: the signal was on its way
    // (an interrupt through the host, another core) when the thread entered a short system call, whose
    // return took it. Beside nine busy processes, of planted_self's expiries delivered in 24-30 us (usual:
    // 20), 5-16 % came at clock_gettime's return, against 0.3 % of those in 14-22 us: up to 8 % of its
    // samples. A thread in a long system call is late anyway, and retried like this already.
    const bool biased = at_return && (late || delay > tl_delivery_ns);
    if (biased && tl_credit_ns < kMaxCarriedPeriods * period) {
      // The thread has just got a CPU back: an expiry a little later finds it running, in its own code.
      const std::int64_t retry = std::min<std::int64_t>(period / 4, kRetryNs);
      tl_set_at_ns = monotonic_ns() + retry;
      set_timer(tl_monotonic_timer, retry);
      return;
    }
    if (biased && carry_entry() >= 0) {
      // Carried long enough: the stack of the thread's last sample in its own code stands for it.
      const auto weight = static_cast<std::uint64_t>(tl_credit_ns / period);
      tl_credit_ns %= period;
      table::add_to(carry_entry(), weight);
      tl_last_cpu_ns = thread_cpu_ns();
      return;
    }
  } else if (ran > period + kLateCpuNs) {
    // The kernel noticed this expiry late: the thread shares its core. The monotonic timer from now on.
    tl_armed = kMonotonicTimer;
    tl_prompt_run = 0;
    set_timer(tl_cpu_timer, 0);
    tl_set_at_ns = monotonic_ns();
    set_timer(tl_monotonic_timer, interval_ns());
  }
  if (tl_credit_ns >= period) {  // (the kernel rounds CPU timers to its tick: a CPU expiry may fall short)
    const auto weight = static_cast<std::uint64_t>(tl_credit_ns / period);
    tl_credit_ns %= period;
    take_sample(context, table::Key{tl_tid, table::State::running}, weight);
  }
  if (hand_back) {
    tl_prompt_run = 0;
    to_cpu_timer();
  }
  // The handler's own time (the unwinding) is the profiler's, not CPU time of the program's.
  tl_last_cpu_ns = thread_cpu_ns();
}

void on_sample(int, siginfo_t* info, void* context) {
  // Only the timers' expiries are samples; the same signal sent by kill or sigqueue is nobody's to handle.
  if (info->si_code != SI_TIMER || tl_in_handler) return;
  int saved = errno;
  if (!g_active.load(std::memory_order_relaxed)) {
    disarm_current_thread();  // stepped aside: each thread's timer ends at its next expiry
    errno = saved;
    return;
  }
  tl_in_handler = true;
  if (g_wall)
    wall_sample(info, context);
  else
    cpu_sample(info, context);
  tl_in_handler = false;
  errno = saved;
}

// PROF_SAMPLE_CLOCK: cpu (the default) or wall; anything else is said once and sampled on CPU time.
bool read_wall() noexcept {
  const char* text = ::secure_getenv("PROF_SAMPLE_CLOCK");
  if (!text || !*text || std::strcmp(text, "cpu") == 0) return false;
  if (std::strcmp(text, "wall") == 0) return true;
  warning::bad_setting("PROF_SAMPLE_CLOCK", text, "cpu or wall", "cpu");
  return false;
}

unsigned read_hz() noexcept {
  const char* text = ::secure_getenv("PROF_SAMPLE_HZ");
  if (text && text[0] == '0' && text[1] == '\0') return 0;
  return static_cast<unsigned>(settings::whole_number("PROF_SAMPLE_HZ", kMaxHz, kDefaultHz, "199"));
}

bool handler_is_free(int signal) noexcept {
  struct sigaction current;
  if (real::sigaction(signal, nullptr, &current) != 0) return false;
  return !(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_DFL;
}

}  // namespace

void start() noexcept {
  interruptions::resolve();
  g_hz = read_hz();
  if (g_hz == 0 || !memory::active()) return;
  g_wall = read_wall();
  // Near the top of the realtime range: glibc and MPI runtimes take theirs from SIGRTMIN up.
  g_signal = SIGRTMAX - 4;
  if (!handler_is_free(g_signal)) return;
  if (!table::init() || !threads::init() || pthread_key_create(&g_timer_key, thread_ended) != 0) return;
  loader_lock::locate();
  struct sigaction action {};
  action.sa_sigaction = on_sample;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  if (real::sigaction(g_signal, &action, nullptr) != 0) return;
  section::register_writer();
  g_active.store(true, std::memory_order_release);
  arm_current_thread();
}

ThreadStart wrap_thread_start(void* (*start)(void*), void* arg) noexcept {
  if (!g_active.load(std::memory_order_acquire)) return {start, arg};
  for (Slot& slot : g_slots) {
    bool expected = false;
    if (slot.used.load(std::memory_order_relaxed) ||
        !slot.used.compare_exchange_strong(expected, true, std::memory_order_acquire))
      continue;
    slot.start = start;
    slot.arg = arg;
    return {sampled_thread, &slot};
  }
  return {start, arg};
}

void unwrap_failed(const ThreadStart& wrapped) noexcept {
  if (wrapped.start == sampled_thread) static_cast<Slot*>(wrapped.arg)->used.store(false);
}

void after_fork_in_child() noexcept {
  if (!g_active.load(std::memory_order_acquire)) return;
  table::reset();
  threads::reset();
  // The slots of threads the parent was starting belong to no thread here.
  for (Slot& slot : g_slots)
    slot.used.store(false, std::memory_order_relaxed);
  // Timers are not inherited: the parent's ids name nothing here (or, worse, a timer created later).
  for (auto& entry : g_timers)
    entry.store(0, std::memory_order_relaxed);
  for (auto& entry : g_monotonic_timers)
    entry.store(0, std::memory_order_relaxed);
  tl_timer = -1;
  arm_current_thread();
}

int signal_number() noexcept {
  return g_signal;
}

bool active() noexcept {
  return g_active.load(std::memory_order_acquire);
}

unsigned hz() noexcept {
  return g_hz;
}

bool wall_clock() noexcept {
  return g_wall;
}

void going_to_wait() noexcept {
  if (g_wall || tl_timer < 0 || tl_armed != kMonotonicTimer) return;
  // A sample arriving meanwhile returns at once: its time is counted here or by the next one.
  tl_in_handler = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  const std::int64_t now = thread_cpu_ns();
  tl_credit_ns += now - tl_last_cpu_ns;
  tl_last_cpu_ns = now;
  // Whole periods carried by late expiries were run before the call: on the last sampled stack, not on the
  // call, where the CPU-time timer would deliver them when the call returns.
  const std::int64_t period = period_ns();
  if (tl_credit_ns >= period && carry_entry() >= 0) {
    table::add_to(carry_entry(), static_cast<std::uint64_t>(tl_credit_ns / period));
    tl_credit_ns %= period;
  }
  to_cpu_timer();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tl_in_handler = false;
}

void flush_thread() noexcept {
  flush_current_thread();
}

void set_ending_call(const void* call) noexcept {
  tl_ending_call = reinterpret_cast<std::uintptr_t>(call);
}

bool owns(int signal) noexcept {
  return signal == g_signal && g_active.load(std::memory_order_acquire);
}

bool intercept_sigaction(int signal, const struct sigaction* act, struct sigaction* old, int& rc) noexcept {
  if (!owns(signal)) return false;
  // A handler or SIG_IGN of the program's own: every timer goes first, then the program's action is set.
  if (act && ((act->sa_flags & SA_SIGINFO) || act->sa_handler != SIG_DFL)) {
    step_aside("the program sets its own handler for the signal it samples with (SIGRTMAX-4)");
    rc = real::sigaction(signal, act, nullptr);
  } else {
    rc = 0;  // asking, or setting the default it believes it has: the sampler's handler stays
  }
  // Either way the previous action is the default, as without prof.
  if (old && rc == 0) {
    std::memset(old, 0, sizeof *old);
    old->sa_handler = SIG_DFL;
  }
  return true;
}

void step_aside(const char* why) noexcept {
  if (!g_active.exchange(false)) return;
  for (int i = 0; i < kMaxTimers; ++i)
    release(i);
  char line[160] = "prof: sampling off: ";
  std::size_t length = std::strlen(line);
  for (const char* c = why; *c && length < sizeof line - 2; ++c)
    line[length++] = *c;
  line[length++] = '\n';
  warning::write_line(line, length);
}

}  // namespace prof::preload::sampling
