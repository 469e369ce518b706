#include "units.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

namespace prof::viewer {

namespace {

// Beyond this, all integer digits would be noise (a crafted 1e308 s is 309 digits): three significant digits
// in scientific notation instead.
constexpr double kLargestPlain = 999999.5;

// `value` with three significant digits (all of its integer digits when it has more, up to six).
std::string significant(double value) {
  double magnitude = std::fabs(value);
  if (magnitude >= kLargestPlain) return fmt::format("{:.2e}", value);
  int decimals = magnitude < 9.995 ? 2 : magnitude < 99.95 ? 1 : 0;
  return fmt::format("{:.{}f}", value, decimals);
}

// Picks the largest unit (each `step` times the previous) that keeps the value at least 1.
template <std::size_t N>
std::string scaled(double value, const std::array<std::string_view, N>& units, double step, std::size_t first,
                   bool integer_first) {
  if (!std::isfinite(value)) return "-";
  std::size_t unit = first;
  while (unit + 1 < N && std::fabs(value) >= step * 0.9995) {
    value /= step;
    ++unit;
  }
  if (unit == 0 && integer_first && std::fabs(value) < kLargestPlain)
    return fmt::format("{:.0f} {}", value, units[unit]);
  return fmt::format("{} {}", significant(value), units[unit]);
}

}  // namespace

std::string format_bytes(double bytes) {
  static constexpr std::array<std::string_view, 6> units{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  // Whole bytes stay whole: "1000 B", not "0.98 KiB".
  if (std::fabs(bytes) < 1024) return fmt::format("{:.0f} B", bytes);
  return scaled(bytes, units, 1024, 0, true);
}

std::string format_seconds(double seconds) {
  static constexpr std::array<std::string_view, 4> units{"ns", "us", "ms", "s"};
  if (!std::isfinite(seconds)) return "-";
  if (seconds == 0) return "0 s";
  double magnitude = std::fabs(seconds);
  if (magnitude >= 0.9995) return significant(seconds) + " s";
  std::size_t unit = 3;
  while (unit > 0 && magnitude < 0.9995) {
    seconds *= 1000;
    magnitude *= 1000;
    --unit;
  }
  return fmt::format("{} {}", significant(seconds), units[unit]);
}

std::string format_ratio(double ratio) {
  if (!std::isfinite(ratio)) return "-";
  return significant(ratio) + "x";
}

}  // namespace prof::viewer
