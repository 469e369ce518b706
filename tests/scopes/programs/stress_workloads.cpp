// The scope profiler under stress (issue 17): `stress_workloads NAME [ARG]`. Each mode prints what it did
// and leaves its snapshots in PROF_OUTPUT for scopes_stress_test.cpp and scopes_threaded_stress_test.cpp.
//   plugin PATH        dlopen a library with a PROF_SCOPE, call it, dlclose it, exit
//   signal             a scoped SIGALRM handler every 10 us to 1 ms while main builds a large tree
//   wide K             one parent calling K distinct scopes in turn, reversed, strided: 3 rounds each
//   coroutine          3000 coroutines that begin a scope on main and end it on a pool thread
//   snapshots          2 threads x 20 prof::write_snapshot calls at once
//   stub_clash         a PROF_ENABLED=0 unit took the address of prof::write_snapshot; call the real one

#include <prof/prof.hpp>

#include <dlfcn.h>
#include <signal.h>
#include <sys/time.h>

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <semaphore>
#include <string_view>
#include <thread>
#include <vector>

using WriteSnapshot = bool (*)(const char*) noexcept;
WriteSnapshot disabled_unit_write_snapshot();  // stub_clash_disabled.cpp, built with PROF_ENABLED=0

namespace {

// ---- plugin ----

int plugin(const char* path) {
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    return 3;
  }
  auto work = reinterpret_cast<int (*)(int)>(dlsym(library, "plugin_work"));
  if (!work) return 4;
  std::printf("plugin returned %d\n", work(7));
  dlclose(library);
  // Something of the program's own after the unload, so the snapshot holds both.
  { PROF_SCOPE("after unload"); }
  return 0;
}

// ---- a 4-ary tree of scopes, depth levels below each of 8 phases ----

__attribute__((noinline)) void branch(int depth) {
  if (depth == 0) return;
  {
    PROF_SCOPE("a");
    branch(depth - 1);
  }
  {
    PROF_SCOPE("b");
    branch(depth - 1);
  }
  {
    PROF_SCOPE("c");
    branch(depth - 1);
  }
  {
    PROF_SCOPE("d");
    branch(depth - 1);
  }
}

// One site per instantiation: eight phases, each with a subtree of its own.
template <int P>
void phase(int depth) {
  PROF_SCOPE("phase");
  branch(depth);
}

void all_phases(int depth) {
  phase<0>(depth);
  phase<1>(depth);
  phase<2>(depth);
  phase<3>(depth);
  phase<4>(depth);
  phase<5>(depth);
  phase<6>(depth);
  phase<7>(depth);
}

// ---- signal ----

volatile sig_atomic_t g_signals = 0;

// One-shot timers, re-armed by the handler: 10 us to 1 ms apart. A steady 10 us period would keep a loaded
// VM busy delivering signals and starve the program.
void arm_timer(long microseconds) {
  itimerval timer{};
  timer.it_value.tv_usec = microseconds;
  setitimer(ITIMER_REAL, &timer, nullptr);
}

volatile sig_atomic_t g_rearm = 1;

void scoped_handler(int) {
  PROF_SCOPE("signal handler");
  static constexpr long kPeriods[] = {10, 1000, 30, 300, 100, 10, 500};
  g_signals = g_signals + 1;
  if (g_rearm) arm_timer(kPeriods[g_signals % 7]);
}

int signal_mode() {
  struct sigaction action {};
  action.sa_handler = scoped_handler;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, nullptr);
  // Three passes over 8 x 21844 nodes: the first creates them while the signals fall, the others find them.
  arm_timer(10);
  for (int pass = 0; pass < 3; ++pass)
    all_phases(7);
  g_rearm = 0;
  arm_timer(0);
  signal(SIGALRM, SIG_IGN);
  std::printf("signals %d\n", int(g_signals));
  return 0;
}

// ---- wide ----

// Sites made at run time, as the macro makes them at compile time: one per line number, all named alike.
struct RuntimeSites {
  explicit RuntimeSites(int count)
      : storage(new unsigned char[sizeof(prof::detail::ScopeSite) * std::size_t(count)]), count(count) {
    for (int i = 0; i < count; ++i)
      new (storage.get() + sizeof(prof::detail::ScopeSite) * std::size_t(i))
          prof::detail::ScopeSite("wide child", __FILE__, i + 1);
  }
  const prof::detail::ScopeSite& operator[](int i) const {
    return *reinterpret_cast<const prof::detail::ScopeSite*>(storage.get() + sizeof(prof::detail::ScopeSite) *
                                                                                 std::size_t(i));
  }
  std::unique_ptr<unsigned char[]> storage;  // ScopeSite is trivially destructible
  int count;
};

// The sites live until the program's static destructors, like the static ones the macro declares (the exit
// snapshot, written later, needs only the profiler's copies).
std::unique_ptr<RuntimeSites> g_wide_sites;

// Three orders, three rounds each: the profiler learns which child follows which (the second round of an
// order confirms its guesses, the third uses them) and must unlearn at each change of order.
int wide(int k) {
  g_wide_sites = std::make_unique<RuntimeSites>(k);
  const RuntimeSites& sites = *g_wide_sites;
  auto in_turn = [](int i, int) { return i; };
  auto reversed = [](int i, int n) { return n - 1 - i; };
  auto strided = [](int i, int n) {
    return int(std::int64_t(i) * 7919 % n);
  };                                           // a permutation: 7919 is prime
  auto rounds = [&](int (*order)(int, int)) {  // one function, one "wide parent" site
    for (int round = 0; round < 3; ++round) {
      PROF_SCOPE("wide parent");
      for (int i = 0; i < k; ++i) {
        const prof::detail::ScopeGuard child(sites[order(i, k)]);
      }
    }
  };
  rounds(in_turn);
  rounds(reversed);
  rounds(strided);
  return 0;
}

// ---- coroutine ----

struct Task {
  struct promise_type {
    Task get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

// One thread that resumes the coroutines handed to it, each inside a scope of its own, as a pool would.
class Pool {
 public:
  Pool() : thread_([this] { run(); }) {}
  ~Pool() {
    {
      std::lock_guard<std::mutex> hold(mutex_);
      stop_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  void push(std::coroutine_handle<> handle) {
    {
      std::lock_guard<std::mutex> hold(mutex_);
      queue_.push_back(handle);
    }
    ready_.notify_one();
  }

 private:
  void run() {
    { PROF_SCOPE("pool start"); }  // the pool thread already has a tree of its own
    for (;;) {
      std::coroutine_handle<> handle;
      {
        std::unique_lock<std::mutex> hold(mutex_);
        ready_.wait(hold, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        handle = queue_.front();
        queue_.pop_front();
      }
      PROF_SCOPE("pool task");
      handle.resume();
      { PROF_SCOPE("after resume"); }
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::coroutine_handle<>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

struct ResumeOn {
  Pool& pool;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) { pool.push(handle); }
  void await_resume() const noexcept {}
};

// Out of line: read on the thread that runs it, whatever the coroutine's frame remembers.
__attribute__((noinline)) void resumed_work() {
  PROF_SCOPE("resumed work");
}

Task scoped_coroutine(Pool& pool, std::binary_semaphore& done) {
  {
    PROF_SCOPE("coroutine");
    co_await ResumeOn{pool};
    resumed_work();
  }
  done.release();
}

int coroutine_mode() {
  Pool pool;
  std::binary_semaphore done(0);
  for (int i = 0; i < 3000; ++i) {
    {
      PROF_SCOPE("iteration");
      scoped_coroutine(pool, done);
      done.acquire();
    }
    { PROF_SCOPE("after iteration"); }
  }
  return 0;
}

// ---- snapshots ----

int snapshots_mode() {
  all_phases(6);  // 8 x 5460 nodes: each snapshot takes a while to write
  std::atomic<int> failed{0};
  auto writer = [&failed] {
    PROF_SCOPE("snapshot writer");
    for (int i = 0; i < 20; ++i)
      if (!prof::write_snapshot("concurrent")) failed.fetch_add(1);
  };
  std::thread first(writer), second(writer);
  first.join();
  second.join();
  std::printf("failed %d\n", failed.load());
  return failed.load() == 0 ? 0 : 1;
}

// ---- stub_clash ----

int stub_clash() {
  WriteSnapshot disabled = disabled_unit_write_snapshot();
  std::printf("disabled stub returns %d\n", int(disabled("from the disabled unit")));
  { PROF_SCOPE("enabled unit"); }
  bool written = prof::write_snapshot("from the enabled unit");
  std::printf("enabled write_snapshot returns %d\n", int(written));
  return written ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string_view mode = argv[1];
  if (mode == "plugin" && argc == 3) return plugin(argv[2]);
  if (mode == "signal") return signal_mode();
  if (mode == "wide" && argc == 3) return wide(std::atoi(argv[2]));
  if (mode == "coroutine") return coroutine_mode();
  if (mode == "snapshots") return snapshots_mode();
  if (mode == "stub_clash") return stub_clash();
  return 2;
}
