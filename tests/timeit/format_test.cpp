#include <sstream>

#include <catch2/catch.hpp>
#include <prof/timeit.hpp>

#include "timeit/format.hpp"

using namespace prof;

namespace {

template <typename T>
std::string printed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

Comparison planted(double ratio, double low, double high, bool significant) {
  Comparison c;
  c.name_a = "search_c";
  c.name_b = "search_d";
  c.ratio = ratio;
  c.low = low;
  c.high = high;
  c.significant = significant;
  return c;
}

}  // namespace

TEST_CASE("durations and counts are written with units and three significant digits", "[format]") {
  using namespace prof::timeit_internal;
  CHECK(format_seconds(12.34e-6) == "12.3 us");
  CHECK(format_seconds(1.054) == "1.05 s");
  CHECK(format_seconds(850e-9) == "850 ns");
  CHECK(format_seconds(2.5e-3) == "2.50 ms");
  CHECK(format_seconds(0) == "0.00 ns");
  CHECK(format_count(5) == "5");
  CHECK(format_count(1024) == "1 024");
  CHECK(format_count(123456789) == "123 456 789");
  CHECK(format_ratio(1.976) == "1.98");
  CHECK(format_ratio(12.34) == "12.3");
  CHECK(format_ratio(150.2) == "150");
}

TEST_CASE("a Timing prints as one line in the spirit of timeit", "[format]") {
  Timing t;
  t.runs = 5;
  t.loops = 1024;
  t.median = 12.3e-6;
  t.mad = 0.2e-6;
  t.min = 12.1e-6;
  CHECK(printed(t) == "5 runs, 1 024 loops each: median 12.3 us +- 0.2 us, min 12.1 us");
  t.runs = 1;
  t.loops = 1;
  t.noisy = true;
  t.noisy_reason = "coefficient of variation 7.0 % above 5 %";
  CHECK(printed(t) ==
        "1 run, 1 loop each: median 12.3 us +- 0.2 us, min 12.1 us (noisy: coefficient of variation 7.0 % "
        "above "
        "5 %)");
}

TEST_CASE("a Comparison prints its verdict", "[format]") {
  CHECK(printed(planted(1.98, 1.96, 2.0, true)) ==
        "search_c is 1.98x slower than search_d (1.96-2.00, 95 % CI)");
  // Faster: the factor and its interval are inverted, so they read as "times faster".
  CHECK(printed(planted(1 / 1.8, 1 / 1.82, 1 / 1.79, true)) ==
        "search_c is 1.80x faster than search_d (1.79-1.82, 95 % CI)");
  CHECK(printed(planted(1.001, 0.99, 1.01, false)) ==
        "no significant difference between search_c and search_d (0.99-1.01, 95 % CI)");
  Comparison ninety = planted(1.001, 0.99, 1.01, false);
  ninety.confidence = 0.9;
  CHECK(ninety.verdict() == "no significant difference between search_c and search_d (0.99-1.01, 90 % CI)");
}
