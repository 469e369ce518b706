#pragma once
// Human-readable quantities with three significant digits: "1.50 KiB", "123 us", "2.00x".
#include <cstdint>
#include <string>

namespace prof::viewer {

std::string format_bytes(double bytes);
std::string format_seconds(double seconds);
// NEW/OLD as "2.00x"; "-" when OLD is zero, where no ratio exists.
std::string format_ratio(double ratio_or_nan);

// Adds without signed overflow: the counts come from untrusted files.
inline std::int64_t add_saturating(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? INT64_MAX : INT64_MIN;
  return sum;
}

}  // namespace prof::viewer
