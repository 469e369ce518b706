#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "merge/run_totals.hpp"

namespace prof::viewer {

double parse_utc_time(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return NAN;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970 || tm.tm_year > 9999)
    return NAN;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double seconds = static_cast<double>(timegm(&tm));
  const char* rest = text.c_str() + consumed;
  if (*rest == '.') {
    double scale = 0.1;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, scale /= 10)
      seconds += (*rest - '0') * scale;
  }
  return seconds;
}

RunTotals run_totals(const std::vector<Snapshot>& snapshots) {
  RunTotals totals;
  totals.processes = snapshots.size();
  for (const auto& snapshot : snapshots) {
    const auto& meta = snapshot.meta;
    totals.user_seconds += meta.user_seconds;
    totals.system_seconds += meta.system_seconds;
    totals.max_rss_bytes = std::max(totals.max_rss_bytes, meta.max_rss_bytes);
    totals.wall_seconds = std::max(totals.wall_seconds, meta.wall_seconds);
  }
  return totals;
}

}  // namespace prof::viewer
