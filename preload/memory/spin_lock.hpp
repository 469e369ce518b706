#pragma once
// The memory tracer's locks: a flag per shard, held for a few dozen instructions and never across a call into
// the allocator, so spinning is cheaper than a futex and needs no memory of its own.

#include <sched.h>
#include <atomic>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace prof::preload::memory {

inline void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

class SpinLock {
 public:
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      // More threads than cores: the holder may be preempted for a whole time slice, spinning on would burn
      // it. After a short spin the waiter gives its core away (a system call, no state, signal-safe).
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins < 128) {
          pause();
        } else {
          sched_yield();
          spins = 0;
        }
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

// Every shard of a table, always in index order so two callers cannot deadlock (fork and snapshots take all).
template <class Shards>
void lock_shards(Shards& shards) noexcept {
  for (auto& shard : shards)
    shard.lock.lock();
}

template <class Shards>
void unlock_shards(Shards& shards) noexcept {
  for (auto& shard : shards)
    shard.lock.unlock();
}

class SpinGuard {
 public:
  explicit SpinGuard(SpinLock& lock) noexcept : lock_(lock) { lock_.lock(); }
  ~SpinGuard() { lock_.unlock(); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  SpinLock& lock_;
};

}  // namespace prof::preload::memory
