// The interval prof::compare and `prof timeit` give a ratio from rounds measured one after the other: its
// coverage checked on synthetic rounds with a known ratio and drift, no timing involved.
#include "timeit/rounds_interval.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "timeit/student_t.hpp"

using namespace prof::stats;

namespace {

// Standard normal deviates by Box-Muller from mt19937_64, whose sequence the standard fixes (unlike
// std::normal_distribution's), so every seed gives the same rounds with any compiler and library.
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : engine_(seed) {}
  double operator()() {
    constexpr double kTwoPi = 6.283185307179586;
    double u1 = (static_cast<double>(engine_() >> 11) + 0.5) / 9007199254740992.0;
    double u2 = static_cast<double>(engine_() >> 11) / 9007199254740992.0;
    return std::sqrt(-2 * std::log(u1)) * std::cos(kTwoPi * u2);
  }

 private:
  std::mt19937_64 engine_;
};

// Log ratios of `n` rounds: the true log ratio, plus drift that remembers `memory` of itself from one round
// to the next (AR(1), started in its stationary distribution), plus independent noise of the same size.
std::vector<double> drifting_rounds(std::uint64_t seed, std::size_t n, double log_ratio, double memory) {
  constexpr double kDrift = 0.02, kNoise = 0.02;
  Normal normal(seed);
  double drift = normal() * kDrift / std::sqrt(1 - memory * memory);
  std::vector<double> rounds;
  for (std::size_t i = 0; i < n; ++i) {
    drift = memory * drift + kDrift * normal();
    rounds.push_back(log_ratio + drift + kNoise * normal());
  }
  return rounds;
}

struct Coverage {
  double blocks = 0;     // fraction of seeds whose rounds_interval holds the true ratio
  double sign_test = 0;  // the same for the sign-test interval that treats rounds as independent
};

Coverage coverage(std::size_t n, double memory) {
  constexpr int kSeeds = 1000;
  const double truth = std::log(1.3);
  int covered = 0, sign_covered = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto rounds = drifting_rounds(static_cast<std::uint64_t>(seed), n, truth, memory);
    Interval interval = rounds_interval(rounds, 0.95);
    covered += interval.low <= truth && truth <= interval.high;
    Interval sign = median_interval(rounds, 0.95);
    sign_covered += sign.low <= truth && truth <= sign.high;
  }
  return {covered / double(kSeeds), sign_covered / double(kSeeds)};
}

}  // namespace

TEST_CASE("Student's t quantiles match the tables", "[statistics]") {
  CHECK(student_t_quantile(0.975, 1) == Approx(12.7062).epsilon(1e-4));
  CHECK(student_t_quantile(0.975, 5) == Approx(2.5706).epsilon(1e-4));
  CHECK(student_t_quantile(0.995, 10) == Approx(3.1693).epsilon(1e-4));
  CHECK(student_t_quantile(0.95, 30) == Approx(1.6973).epsilon(1e-4));
  CHECK(student_t_quantile(0.025, 5) == Approx(-2.5706).epsilon(1e-4));
  CHECK(student_t_cdf(0, 3) == Approx(0.5));
  CHECK(std::isnan(student_t_quantile(1, 3)));
}

TEST_CASE("rounds are cut into sqrt(n) blocks, at least six", "[statistics]") {
  CHECK(rounds_blocks(6) == 6);
  CHECK(rounds_blocks(12) == 6);
  CHECK(rounds_blocks(100) == 10);
  CHECK(rounds_blocks(1000) == 31);
}

TEST_CASE("fewer than six rounds give no interval", "[statistics]") {
  std::vector<double> five{0.1, 0.2, 0.1, 0.2, 0.1};
  Interval none = rounds_interval(five, 0.95);
  CHECK(std::isnan(none.low));
  CHECK(std::isnan(none.high));
  CHECK(none.confidence == 0);
  std::vector<double> same(12, std::log(2.0));
  Interval exact = rounds_interval(same, 0.95);
  CHECK(std::exp(exact.low) == Approx(2));
  CHECK(std::exp(exact.high) == Approx(2));
  CHECK(exact.confidence == 0.95);
}

TEST_CASE("the interval of drifting rounds has its stated 95 % coverage over 1000 seeds", "[statistics]") {
  // Independent rounds, moderate drift (memory 0.5), and strong drift (0.8, 0.9) over the round counts
  // compare reaches within its budget; the sign test's coverage alongside shows what the drift does to an
  // interval that takes rounds as independent (it was 65 % at memory 0.8: "significant" far too often).
  struct Case {
    std::size_t n;
    double memory;
  };
  for (Case c : {Case{100, 0.0}, Case{100, 0.5}, Case{200, 0.8}, Case{400, 0.8}, Case{1000, 0.9}}) {
    Coverage result = coverage(c.n, c.memory);
    INFO(c.n << " rounds, drift memory " << c.memory << ": coverage " << 100 * result.blocks
             << " %, sign test " << 100 * result.sign_test << " %");
    CHECK(result.blocks >= 0.93);
    CHECK(result.blocks <= 0.97);
    if (c.memory >= 0.8) CHECK(result.sign_test < 0.8);
  }
}
