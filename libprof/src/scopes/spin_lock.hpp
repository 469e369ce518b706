#pragma once
// The lock of the profiler's shared lists. A spin lock rather than a mutex because the snapshot writer may
// run in a fatal-signal handler: there it must be able to give up instead of waiting on a lock its own thread
// holds. It is taken on cold paths only (thread start and end, new sites, reset, snapshots).

#include <sched.h>
#include <atomic>

namespace prof::scopes {

class SpinLock {
 public:
  // Waits as long as it takes.
  void lock() noexcept {
    while (!try_lock_for(1000)) {
    }
  }

  // Gives up after about `spins` attempts (yielding after the first hundred); returns whether it holds it.
  bool try_lock_for(int spins) noexcept {
    for (int i = 0; busy_.test_and_set(std::memory_order_acquire); ++i) {
      if (i >= spins) return false;
      if (i > 100) sched_yield();
    }
    return true;
  }

  void unlock() noexcept { busy_.clear(std::memory_order_release); }

  // After fork, in the child: no other thread exists any more to release it.
  void reset_in_child() noexcept { busy_.clear(std::memory_order_relaxed); }

 private:
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
};

}  // namespace prof::scopes
