#pragma once
// How the timer harness writes numbers for people: durations with a unit and three significant digits, loop
// counts grouped by thousands, ratios.

#include <cstdint>
#include <string>

namespace prof::timeit_internal {

// A unit (ns, us, ms, s) that puts `seconds` in [1, 1000) where possible.
struct Unit {
  const char* name;
  double scale;  // seconds per unit
};
Unit unit_for(double seconds);

// `value` (already in its unit) with three significant digits, or `decimals` when given (>= 0).
std::string format_number(double value, int decimals = -1);
// Decimals that give `value` three significant digits (0 for 100 and above).
int significant_decimals(double value);

// "12.3 us", "1.05 s", "850 ns".
std::string format_seconds(double seconds);
// "1 024", "5".
std::string format_count(std::uint64_t count);
// "1.98", "12.3", "150": two decimals below 10, three significant digits above.
std::string format_ratio(double ratio);

}  // namespace prof::timeit_internal
