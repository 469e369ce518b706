#include "sampling/sampler.hpp"

#include <libunwind.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "memory/tracer.hpp"
#include "real_functions.hpp"
#include "sampling/interruptions.hpp"
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
constexpr int kThreadSlots = 1024;
constexpr int kMaxTimers = 4096;

std::atomic<bool> g_active{false};
unsigned g_hz = 0;
bool g_wall = false;  // PROF_SAMPLE_CLOCK=wall: every thread sampled on the monotonic clock, blocked or not
int g_signal = 0;
pthread_key_t g_timer_key;

// Every live timer (id + 1; 0 is a free entry), so that stepping aside can delete them all from one thread.
// Whoever exchanges an entry to 0 deletes its timer: the thread at its end, or step_aside.
std::atomic<std::intptr_t> g_timers[kMaxTimers];

// Each thread's entry in g_timers, claimed at its start and given back at its end (the key's destructor).
thread_local int tl_timer = -1;
// What the thread's samples have counted so far, its CPU time when its timer was armed, and the entry its
// last sample went to: at its end, the periods its timer had not reported yet go there (below).
thread_local std::uint64_t tl_counted = 0;
thread_local std::int64_t tl_armed_at_ns = 0;
thread_local std::int64_t tl_last_entry = -1;
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
struct Slot {
  std::atomic<bool> used;
  void* (*start)(void*);
  void* arg;
};
Slot g_slots[kThreadSlots];

pid_t thread_id() noexcept {
  return static_cast<pid_t>(::syscall(SYS_gettid));
}

std::int64_t thread_cpu_ns() noexcept {
  struct timespec now;
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void arm_current_thread() noexcept {
  if (!g_active.load(std::memory_order_acquire)) return;
  struct sigevent event {};
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = g_signal;
  tl_tid = thread_id();
  event._sigev_un._tid = tl_tid;
  timer_t timer;
  if (::timer_create(g_wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &event, &timer) != 0) return;
  long period_ns = 1000000000L / static_cast<long>(g_hz);
  struct itimerspec spec {};
  spec.it_interval.tv_sec = period_ns / 1000000000L;
  spec.it_interval.tv_nsec = period_ns % 1000000000L;
  spec.it_value = spec.it_interval;
  if (::timer_settime(timer, 0, &spec, nullptr) != 0) {
    ::timer_delete(timer);
    return;
  }
  tl_counted = 0;
  tl_last_entry = -1;
  tl_armed_at_ns = thread_cpu_ns();
  tl_last_cpu_ns = tl_armed_at_ns;
  tl_samples = 0;
  threads::note_current(tl_tid);
  for (int i = 0; i < kMaxTimers; ++i) {
    std::intptr_t expected = 0;
    if (g_timers[i].load(std::memory_order_relaxed) == 0 &&
        g_timers[i].compare_exchange_strong(expected, reinterpret_cast<std::intptr_t>(timer) + 1)) {
      tl_timer = i;
      break;
    }
  }
  if (tl_timer < 0) {  // more live threads than entries: this one goes unsampled
    ::timer_delete(timer);
    return;
  }
  // A non-null value makes the key's destructor run at the thread's end, pthread_exit included.
  pthread_setspecific(g_timer_key, reinterpret_cast<void*>(1));
}

void release(int entry) noexcept {
  std::intptr_t id = g_timers[entry].exchange(0);
  if (id) ::timer_delete(reinterpret_cast<timer_t>(id - 1));
}

void disarm_current_thread() noexcept {
  if (tl_timer < 0) return;
  release(tl_timer);
  tl_timer = -1;
}

// The kernel notices a CPU timer's expiries only at a tick that finds the thread running: on a loaded machine
// a thread cut into short slices may end with several periods not reported yet, a loss that would fall on
// short threads only. They are counted at the thread's end, on the stack of its last sample.
void thread_ended(void*) noexcept {
  if (tl_timer < 0) return;
  disarm_current_thread();
  threads::note_current(tl_tid);
  // A monotonic timer expires on the kernel's high-resolution timers, whatever the thread does: nothing late.
  if (g_wall) return;
  const std::int64_t period_ns = 1000000000L / static_cast<long>(g_hz ? g_hz : 1);
  const std::int64_t due = (thread_cpu_ns() - tl_armed_at_ns) / period_ns;
  if (due > static_cast<std::int64_t>(tl_counted))
    table::add_to(tl_last_entry, static_cast<std::uint64_t>(due) - tl_counted);
}

void* sampled_thread(void* raw) {
  Slot* slot = static_cast<Slot*>(raw);
  void* (*start)(void*) = slot->start;
  void* arg = slot->arg;
  slot->used.store(false, std::memory_order_release);
  arm_current_thread();
  return start(arg);
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
  // The kernel checks CPU timers at its tick (4 ms at HZ=250), and a wall-clock timer's signal waits while a
  // wrapped blocking call keeps it blocked: the expiries meanwhile come as one signal with an overrun count.
  // They are samples all the same, of the stack the thread is in now (or the call it has just left).
  std::uint64_t weight = 1 + static_cast<std::uint64_t>(info->si_overrun > 0 ? info->si_overrun : 0);
  tl_counted += weight;
  table::Key key{tl_tid, table::State::running};
  if (g_wall) {
    // Waiting (blocked, sleeping, or runnable without a CPU) when the thread ran less than half of the
    // periods since its previous sample.
    const std::int64_t now = thread_cpu_ns();
    const std::int64_t period_ns = 1000000000L / static_cast<long>(g_hz);
    if (2 * (now - tl_last_cpu_ns) < static_cast<std::int64_t>(weight) * period_ns)
      key.state = table::State::waiting;
    tl_last_cpu_ns = now;
  }
  if (tl_samples++ % kNameEvery == 0) threads::note_current(tl_tid);
  // The memory tracer may be inside libunwind on this very thread (a malloc hook): its per-thread cache is
  // not re-entrant, so that sample is dropped rather than risk it.
  if (!memory::enter()) {
    table::note_dropped(weight);
  } else {
    std::uintptr_t frames[table::kMaxDepth + kOwnFrames];
    int taken = unw_backtrace(reinterpret_cast<void**>(frames), table::kMaxDepth + kOwnFrames);
    auto pc = static_cast<std::uintptr_t>(static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP]);
    int first = 0;
    while (first < taken && frames[first] != pc)
      ++first;
    if (first < taken) {
      // +1: inside the function whether the reader takes the innermost address as is or as a return address.
      if (tl_ending_call) frames[first] = tl_ending_call + 1;
      std::int64_t entry = table::add(frames + first, static_cast<std::uint32_t>(taken - first), key, weight);
      if (entry >= 0) tl_last_entry = entry;
    } else {
      table::note_dropped(weight);  // the unwinder did not get through the signal frame
    }
    memory::leave();
  }
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
