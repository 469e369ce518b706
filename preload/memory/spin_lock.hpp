#pragma once
// The memory tracer's locks: a flag per shard, held for a few dozen instructions and never across a call into
// the allocator, so spinning is cheaper than a futex and needs no memory of its own.

#include <sched.h>
#include <atomic>

#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define PROF_KNOWS_SINGLE_THREADED 1
#endif

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
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
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

// Whether the calling thread is the process's only one. glibc clears __libc_single_threaded in
// pthread_create before the new thread exists (every creation, its own internal ones too), so a thread that
// reads it set is alone, and every update made while it was set happened before any other thread ran. A
// thread made by a raw clone() is not seen: like libstdc++'s reference counts, the tracer then assumes the
// process has none.
inline bool alone() noexcept {
#ifdef PROF_KNOWS_SINGLE_THREADED
  return __libc_single_threaded != 0;
#else
  return false;
#endif
}

// A SpinGuard taken only when the process may have other threads. A locked instruction is a full barrier: in
// a single-threaded program the lock of every allocation and free waited for that event's cache misses (83 %
// of record_free on a heap of millions of blocks) instead of letting them overlap with the program's work.
class SharedGuard {
 public:
  explicit SharedGuard(SpinLock& lock) noexcept : lock_(alone() ? nullptr : &lock) {
    if (lock_) lock_->lock();
  }
  ~SharedGuard() {
    if (lock_) lock_->unlock();
  }
  SharedGuard(const SharedGuard&) = delete;
  SharedGuard& operator=(const SharedGuard&) = delete;

 private:
  SpinLock* lock_;
};

}  // namespace prof::preload::memory
