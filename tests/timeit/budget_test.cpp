// prof::compare keeps to its time budget however slow the callables: counted in calls, never in wall time
// (the machine may be busy; a sleeping call lasts at least its sleep, so calls bound the time from below).

#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <prof/timeit.hpp>

using namespace prof;

namespace {

constexpr auto kCall = std::chrono::milliseconds(20);

struct Counted {
  int* calls;
  void operator()() const {
    ++*calls;
    std::this_thread::sleep_for(kCall);
  }
};

}  // namespace

TEST_CASE("compare of slow callables stays within its time budget, calibration included", "[budget]") {
  // 0.5 s holds at most 25 calls of 20 ms. Before, min_rounds (12) of three runs per side ran regardless:
  // 2 calibration calls + 12 * 6 = 74 calls, 1.5 s (a 50 ms callable with a 1 s budget took 3.7 s).
  int calls_a = 0, calls_b = 0;
  CompareOptions options;
  options.time_budget = 0.5;
  options.record = false;
  Comparison c = compare("a", Counted{&calls_a}, "b", Counted{&calls_b}, options);
  INFO(c << " after " << c.rounds << " rounds, " << calls_a << " + " << calls_b << " calls");
  CHECK(calls_a + calls_b <= 25);
  CHECK(calls_a == calls_b);
  CHECK(c.rounds == c.ratios.size());
  // The budget did not fit three runs per side in 12 rounds, so a round is one run per side.
  CHECK(static_cast<std::size_t>(calls_a) == c.rounds + 1);
}

TEST_CASE("a budget too small for six rounds gives no interval and says so", "[budget]") {
  // 0.1 s: two 20 ms calibration calls, then room for at most one round of two calls.
  int calls_a = 0, calls_b = 0;
  CompareOptions options;
  options.time_budget = 0.1;
  options.threshold = 0;
  options.record = false;
  Comparison c = compare("a", Counted{&calls_a}, "b", Counted{&calls_b}, options);
  INFO(c);
  CHECK(calls_a + calls_b <= 5);
  CHECK(c.rounds < 6);
  CHECK_FALSE(c.significant);
  CHECK(c.confidence == 0);
  CHECK(c.low == c.ratio);
  CHECK(c.high == c.ratio);
  CHECK(c.verdict() == "too few rounds to compare a and b (" + std::to_string(c.rounds) +
                           " in the time budget; an interval needs 6)");
}
