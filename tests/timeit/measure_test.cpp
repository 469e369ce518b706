#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <prof/timeit.hpp>

#include "timeit/measure.hpp"

using namespace prof;

namespace {

// A loop that takes no real time: each call "costs" exactly `seconds_per_call`, so autorange's arithmetic can
// be checked against known answers.
struct FakeLoop {
  double seconds_per_call;
  int probes = 0;
  static double run(void* self, std::uint64_t loops) {
    auto* fake = static_cast<FakeLoop*>(self);
    ++fake->probes;
    return fake->seconds_per_call * static_cast<double>(loops);
  }
  detail::Loop loop() { return detail::Loop{this, &FakeLoop::run}; }
};

[[gnu::noinline]] double dependent_chain(double x, int steps) {
  for (int i = 0; i < steps; ++i)
    x = x * 1.0000001 + 1e-7;
  return x;
}

}  // namespace

TEST_CASE("autorange reaches the minimum run time, without overshooting far", "[measure]") {
  for (double per_call : {1e-9, 3.3e-7, 1e-4, 0.05, 0.5}) {
    FakeLoop fake{per_call};
    int setups = 0;
    std::uint64_t loops = timeit_internal::autorange(fake.loop(), 0.2, [&] { ++setups; });
    INFO("per call " << per_call << ", loops " << loops);
    CHECK(static_cast<double>(loops) * per_call >= 0.2);
    // The last probe is predicted to 1.1 x the target, rounded up to a whole call.
    CHECK(static_cast<double>(loops) * per_call <= 0.2 * 1.1 * (1 + 1e-12) + per_call);
    CHECK(setups == fake.probes);
  }
}

TEST_CASE("autorange on real code: every run lasts about min_run_time", "[measure]") {
  double x = 1;
  TimeitOptions options;
  options.min_run_time = 0.02;
  options.runs = 3;
  options.record = false;
  Timing t = timeit(
      "chain", [&] { do_not_optimize(dependent_chain(x, 200)); }, options);
  REQUIRE(t.samples.size() == 3);
  for (double sample : t.samples) {
    // Not a wall-clock limit: the run's own length, which autorange chose (halved for noise).
    CHECK((sample + t.loop_overhead) * static_cast<double>(t.loops) >= 0.01);
  }
  CHECK(t.loops > 1);
}

TEST_CASE("setup runs before every run and is not timed", "[measure]") {
  double x = 1;
  int setups = 0;
  TimeitOptions options;
  options.loops = 10;
  options.runs = 4;
  options.record = false;
  // A planted slow setup, 10 ms, against 10 calls of a few hundred nanoseconds each: were it timed, every
  // sample would exceed 1 ms per call.
  options.setup = [&] {
    ++setups;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  Timing t = timeit(
      "cheap", [&] { do_not_optimize(dependent_chain(x, 100)); }, options);
  CHECK(setups == 5);  // the warm-up run and four timed runs
  CHECK(t.runs == 4);
  CHECK(t.loops == 10);
  for (double sample : t.samples)
    CHECK(sample < 1e-4);
}

TEST_CASE("the loop's own cost is measured and small", "[measure]") {
  double overhead = timeit_internal::loop_overhead_per_call();
  CHECK(overhead > 0);
  CHECK(overhead < 1e-6);
  CHECK(timeit_internal::per_call(1.0, 100, 0.001) == Approx(0.009));
  CHECK(timeit_internal::per_call(0.05, 100, 0.001) == 0);  // never negative
}

TEST_CASE("statistics of a Timing summarise its samples", "[measure]") {
  FakeLoop fake{2e-6};
  TimeitOptions options;
  options.min_run_time = 0.01;
  options.record = false;
  Timing t = detail::timeit("fake", fake.loop(), options);
  REQUIRE(t.samples.size() == 5);
  CHECK(t.runs == 5);
  // Every run took exactly 2 us per call; only the real loop overhead was subtracted.
  CHECK(t.median == Approx(2e-6 - t.loop_overhead));
  CHECK(t.min == t.median);
  CHECK(t.mad == 0);
  CHECK(t.stddev == Approx(0).margin(1e-15));
  CHECK(t.ci_low == t.median);
  CHECK(t.ci_high == t.median);
  CHECK(t.ci_confidence == Approx(0.9375));
  CHECK_FALSE(t.noisy);
}

TEST_CASE("a timing with runs too short for the clock is flagged noisy", "[measure]") {
  FakeLoop fake{1e-9};
  TimeitOptions options;
  options.loops = 1;
  options.record = false;
  Timing t = detail::timeit("too short", fake.loop(), options);
  CHECK(t.noisy);
  CHECK(t.noisy_reason.find("too short for the clock") != std::string::npos);
}

TEST_CASE("a timing whose runs vary is flagged noisy", "[measure]") {
  struct Alternating {
    int calls = 0;
    static double run(void* self, std::uint64_t loops) {
      auto* a = static_cast<Alternating*>(self);
      // 1 ms and 1.5 ms per call in turn: a coefficient of variation far above 5 %.
      return (a->calls++ % 2 ? 1.5e-3 : 1e-3) * static_cast<double>(loops);
    }
  } alternating;
  TimeitOptions options;
  options.loops = 100;
  options.record = false;
  Timing t = detail::timeit("varies", detail::Loop{&alternating, &Alternating::run}, options);
  CHECK(t.noisy);
  CHECK(t.noisy_reason.find("coefficient of variation") != std::string::npos);
}
