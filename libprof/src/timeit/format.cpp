#include "timeit/format.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include <prof/timeit.hpp>

#include "timeit/rounds_interval.hpp"

namespace prof::timeit_internal {

Unit unit_for(double seconds) {
  double magnitude = std::fabs(seconds);
  if (magnitude >= 1) return {"s", 1};
  if (magnitude >= 1e-3) return {"ms", 1e-3};
  if (magnitude >= 1e-6) return {"us", 1e-6};
  return {"ns", 1e-9};
}

int significant_decimals(double value) {
  double magnitude = std::fabs(value);
  if (magnitude >= 99.95) return 0;
  if (magnitude >= 9.995) return 1;
  return 2;
}

std::string format_number(double value, int decimals) {
  if (decimals < 0) decimals = significant_decimals(value);
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string format_seconds(double seconds) {
  Unit unit = unit_for(seconds);
  return format_number(seconds / unit.scale) + " " + unit.name;
}

std::string format_count(std::uint64_t count) {
  std::string digits = std::to_string(count);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ' ';
    grouped += digits[i];
  }
  return grouped;
}

std::string format_ratio(double ratio) {
  if (ratio < 9.995) return format_number(ratio, 2);
  return format_number(ratio);
}

}  // namespace prof::timeit_internal

namespace prof {

using timeit_internal::format_count;
using timeit_internal::format_number;
using timeit_internal::format_ratio;

std::ostream& operator<<(std::ostream& out, const Timing& t) {
  timeit_internal::Unit unit = timeit_internal::unit_for(t.median);
  double median = t.median / unit.scale;
  int decimals = timeit_internal::significant_decimals(median);
  out << format_count(t.runs) << (t.runs == 1 ? " run, " : " runs, ") << format_count(t.loops)
      << (t.loops == 1 ? " loop each: " : " loops each: ") << "median " << format_number(median, decimals)
      << ' ' << unit.name << " +- " << format_number(t.mad / unit.scale, decimals) << ' ' << unit.name
      << ", min " << format_number(t.min / unit.scale, decimals) << ' ' << unit.name;
  if (t.noisy) out << " (noisy: " << t.noisy_reason << ')';
  return out;
}

std::string Comparison::verdict() const {
  // Without an interval (fewer rounds than one needs, or none) there is nothing to conclude.
  if (!(confidence > 0)) {
    return "too few rounds to compare " + name_a + " and " + name_b + " (" + format_count(rounds) +
           " in the time budget; an interval needs " + format_count(stats::kFewestRounds) + ")";
  }
  std::string level =
      format_number(confidence * 100, confidence * 100 == std::floor(confidence * 100) ? 0 : 1);
  std::string interval_suffix = ", " + level + " % CI)";
  if (!significant) {
    return "no significant difference between " + name_a + " and " + name_b + " (" + format_ratio(low) + "-" +
           format_ratio(high) + interval_suffix;
  }
  if (ratio > 1) {
    return name_a + " is " + format_ratio(ratio) + "x slower than " + name_b + " (" + format_ratio(low) +
           "-" + format_ratio(high) + interval_suffix;
  }
  return name_a + " is " + format_ratio(1 / ratio) + "x faster than " + name_b + " (" +
         format_ratio(1 / high) + "-" + format_ratio(1 / low) + interval_suffix;
}

std::ostream& operator<<(std::ostream& out, const Comparison& comparison) {
  return out << comparison.verdict();
}

}  // namespace prof
