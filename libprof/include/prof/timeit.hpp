#pragma once
// The timer harness: time a piece of code (`prof::timeit`) or compare two (`prof::compare`) with statistics
// people can trust: the loop's own cost is subtracted, every timing carries its spread and a confidence
// interval of its median, and a comparison ends in a verdict. Every Timing and Comparison made in a process
// is recorded in the `timers` section of its snapshot (docs/SNAPSHOT.md).
//
//   prof::Timing t = prof::timeit("sort", [&] { std::sort(v.begin(), v.end()); },
//                                 {.setup = [&] { shuffle(v); }});
//   std::cout << t << '\n';   // 5 runs, 1 024 loops each: median 12.3 us +- 0.2 us, min 12.1 us
//   std::cout << prof::compare("search_c", c, "search_d", d) << '\n';
//                             // search_c is 1.98x slower than search_d (1.96-2.00, 95 % CI)

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace prof {

// Keeps `value` alive as if something read it: the compiler must compute it and cannot drop the code that
// produced it. Costs no instruction beyond making the value exist in memory.
template <typename T>
inline void do_not_optimize(const T& value) {
  asm volatile("" : : "r"(&value) : "memory");
}

// Tells the compiler that any memory may have been read and written here, so pending stores happen.
inline void clobber_memory() {
  asm volatile("" : : : "memory");
}

// A duration in seconds that accepts both a number (0.05) and a std::chrono duration (50ms).
class Seconds {
 public:
  constexpr Seconds(double seconds = 0) : seconds_(seconds) {}
  template <typename Rep, typename Period>
  constexpr Seconds(std::chrono::duration<Rep, Period> d)
      : seconds_(std::chrono::duration<double>(d).count()) {}
  constexpr double count() const { return seconds_; }
  constexpr operator double() const { return seconds_; }

 private:
  double seconds_;
};

struct TimeitOptions {
  // Autorange grows the loop count until one run lasts at least this long.
  Seconds min_run_time = 0.2;
  // Timed runs, each of `loops` calls.
  std::size_t runs = 5;
  // Calls per run; 0 lets autorange choose.
  std::uint64_t loops = 0;
  // Run untimed before every run (and before the warm-up): fresh data, a cold cache, a new needle.
  std::function<void()> setup = {};
  // One untimed run before the timed ones.
  bool warmup = true;
  // Record the Timing in the process's snapshot.
  bool record = true;
};

// Seconds are per call (one iteration of the loop), the loop's own cost already subtracted.
struct Timing {
  std::string name;
  std::size_t runs = 0;
  std::uint64_t loops = 0;      // calls per run
  std::vector<double> samples;  // one per run
  double min = 0;
  double median = 0;
  double mean = 0;
  double stddev = 0;
  double mad = 0;  // median absolute deviation, unscaled
  // Distribution-free confidence interval of the median (order statistics); with few runs the coverage is
  // below 95 % (5 runs give [min, max], 93.75 %): ci_confidence says what it is.
  double ci_low = 0;
  double ci_high = 0;
  double ci_confidence = 0;
  double loop_overhead = 0;  // measured cost of the timing loop per call, subtracted from the samples
  bool noisy = false;
  std::string noisy_reason;  // "" unless noisy
};

struct CompareOptions {
  // Length of one run of either side (its loop count calibrated once, before the rounds). A round makes three
  // runs of each side, alternating, and keeps each side's fastest.
  Seconds round_time = 0.005;
  // Rounds adapt between these, stopping early once the interval is narrow enough.
  std::size_t min_rounds = 12;
  std::size_t max_rounds = 1000;
  // Narrow enough: high / low - 1 at most this.
  double precision = 0.01;
  // The whole comparison (calibration and warm-up included) stays within this, whatever the precision and
  // min_rounds: a round that would end past it is not started. With slow callables a round then makes one run
  // per side; fewer than 6 rounds leave no interval ("too few rounds to compare").
  Seconds time_budget = 3.0;
  double confidence = 0.95;
  // A difference smaller than this fraction is not called significant even when the interval excludes 1.
  double threshold = 0.01;
  // Run untimed before every run of either side.
  std::function<void()> setup = {};
  bool record = true;
};

struct Comparison {
  std::string name_a;
  std::string name_b;
  double ratio = 1;  // time of a / time of b: centre of [low, high] (mean of the rounds' block medians)
  // Confidence interval of the ratio: blocks of consecutive rounds, a t interval over the blocks' median log
  // ratios corrected for drift between them (rounds measured one after the other are not independent).
  // [ratio, ratio] with confidence 0 when there were fewer than 6 rounds.
  double low = 1;
  double high = 1;
  double confidence = 0.95;  // level of [low, high]; 0 when there were too few rounds for one
  double threshold = 0.01;
  std::size_t rounds = 0;
  bool significant = false;    // [low, high] excludes 1 and |ratio - 1| > threshold
  std::vector<double> ratios;  // one per round
  double a_seconds = 0;        // median seconds per call of a over the rounds
  double b_seconds = 0;
  // "a is 1.98x slower than b (1.96-2.00, 95 % CI)", "... faster ...", "no significant difference ...", or
  // "too few rounds to compare ...".
  std::string verdict() const;
};

// "5 runs, 1 024 loops each: median 12.3 us +- 0.2 us, min 12.1 us" (+- the MAD), with the reason if noisy.
std::ostream& operator<<(std::ostream& out, const Timing& timing);
// The verdict sentence.
std::ostream& operator<<(std::ostream& out, const Comparison& comparison);

namespace detail {

// A callable behind a loop of a given length, timed; the loop is compiled once per callable type, so the
// empty callable that measures the loop's own cost goes through the same code.
struct Loop {
  void* callable;
  double (*run)(void* callable, std::uint64_t loops);  // elapsed seconds
};

// Out-of-order CPUs start the next call before the previous one has finished; with independent calls that
// overlap hides a per-call amount of time, so twice the work would measure as more than twice the time. A
// barrier that lets no later instruction start before earlier ones complete makes each call's time its own;
// its cost is part of the loop's overhead, measured and subtracted.
inline void wait_for_call_to_finish() {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("lfence" : : : "memory");
#elif defined(__aarch64__)
  asm volatile("isb" : : : "memory");
#else
  asm volatile("" : : : "memory");
#endif
}

template <typename F>
[[gnu::noinline]] double run_loop(void* callable, std::uint64_t loops) {
  F& fn = *static_cast<F*>(callable);
  auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < loops; ++i) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
      std::invoke(fn);
    } else {
      do_not_optimize(std::invoke(fn));
    }
    detail::wait_for_call_to_finish();
    // The counter is opaque to the compiler, so it can neither drop an empty loop nor fold iterations.
    asm volatile("" : "+r"(i));
  }
  auto stop = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(stop - start).count();
}

template <typename F>
Loop make_loop(F& fn) {
  return Loop{const_cast<void*>(static_cast<const void*>(&fn)), &run_loop<F>};
}

Timing timeit(std::string_view name, Loop loop, const TimeitOptions& options);
Comparison compare(std::string_view name_a, Loop a, std::string_view name_b, Loop b,
                   const CompareOptions& options);

}  // namespace detail

template <typename F>
requires std::invocable<F&> Timing timeit(std::string_view name, F&& fn, TimeitOptions options = {}) {
  if constexpr (std::is_function_v<std::remove_reference_t<F>>) {
    auto* pointer = &fn;
    return detail::timeit(name, detail::make_loop(pointer), options);
  } else {
    return detail::timeit(name, detail::make_loop(fn), options);
  }
}

template <typename F, typename G>
requires std::invocable<F&> && std::invocable<G&> Comparison compare(std::string_view name_a, F&& a,
                                                                     std::string_view name_b, G&& b,
                                                                     CompareOptions options = {}) {
  if constexpr (std::is_function_v<std::remove_reference_t<F>>) {
    auto* pointer = &a;
    return prof::compare(name_a, pointer, name_b, std::forward<G>(b), std::move(options));
  } else if constexpr (std::is_function_v<std::remove_reference_t<G>>) {
    auto* pointer = &b;
    return prof::compare(name_a, std::forward<F>(a), name_b, pointer, std::move(options));
  } else {
    return detail::compare(name_a, detail::make_loop(a), name_b, detail::make_loop(b), options);
  }
}

}  // namespace prof
