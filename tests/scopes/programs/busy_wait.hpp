#pragma once
// Planted ground truth: spins on CLOCK_MONOTONIC for a known time. The time actually spent (more than asked
// when the scheduler preempts the spin on a busy machine) is added to a named total that the program prints
// at exit as "planted NAME NANOSECONDS" lines, which the tests compare with the snapshot.

#include <time.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>

namespace prof::test {

inline long long monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

class Planted {
 public:
  void add(const std::string& name, long long ns) {
    std::lock_guard<std::mutex> hold(mutex_);
    totals_[name] += ns;
  }
  void print() {
    std::lock_guard<std::mutex> hold(mutex_);
    for (const auto& [name, ns] : totals_)
      std::printf("planted %s %lld\n", name.c_str(), ns);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, long long> totals_;
};

inline Planted& planted() {
  static Planted instance;
  return instance;
}

// Spins for `ms` milliseconds; returns the nanoseconds really spent.
inline long long spin_ms(double ms) {
  long long start = monotonic_ns();
  long long end = start + static_cast<long long>(ms * 1e6);
  long long now = start;
  while (now < end)
    now = monotonic_ns();
  return now - start;
}

// Spins for `ms` milliseconds and books the time really spent under `name`.
inline void busy_wait_ms(double ms, const std::string& name = "") {
  long long spent = spin_ms(ms);
  if (!name.empty()) planted().add(name, spent);
}

}  // namespace prof::test
