// Reads the `timers` section (docs/SNAPSHOT.md, "timers"): timings with their samples and the statistics
// the writer computed, and comparisons with their interval and verdict.
#include <fmt/format.h>

#include "read/timers_reader.hpp"

namespace prof::viewer {

namespace {

std::vector<double> optional_numbers(const json::object& object, std::string_view key,
                                     std::string_view where) {
  std::vector<double> numbers;
  auto value = json::find(object, key);
  if (!value) return numbers;
  auto array_where = json::join(where, key);
  for (auto entry : json::to_array(*value, array_where))
    numbers.push_back(json::to_number(entry, array_where + "[]"));
  return numbers;
}

std::int64_t positive_count(const json::object& object, std::string_view key, std::string_view where) {
  auto key_where = json::join(where, key);
  auto count = json::to_count(json::require(object, key, where), key_where);
  if (count < 1) json::fail(fmt::format("{}: must be at least 1, found {}", key_where, count));
  return count;
}

std::string optional_string(const json::object& object, std::string_view key, std::string_view where) {
  auto value = json::find(object, key);
  return value ? std::string(json::to_string(*value, json::join(where, key))) : std::string();
}

Timing read_timing(const json::element& entry, const std::string& where) {
  auto object = json::to_object(entry, where);
  Timing timing;
  timing.name = json::to_string(json::require(object, "name", where), json::join(where, "name"));
  timing.source = optional_string(object, "source", where);
  timing.runs = positive_count(object, "runs", where);
  timing.loops = positive_count(object, "loops", where);
  json::require(object, "samples", where);
  timing.samples = optional_numbers(object, "samples", where);
  timing.min = json::optional_number(object, "min", where);
  timing.median = json::optional_number(object, "median", where);
  timing.mean = json::optional_number(object, "mean", where);
  timing.stddev = json::optional_number(object, "stddev", where);
  timing.mad = json::optional_number(object, "mad", where);
  timing.ci_low = json::optional_number(object, "ci_low", where);
  timing.ci_high = json::optional_number(object, "ci_high", where);
  timing.loop_overhead = json::optional_number(object, "loop_overhead", where);
  if (auto noisy = json::find(object, "noisy"))
    timing.noisy = json::to_bool(*noisy, json::join(where, "noisy"));
  timing.noisy_reason = optional_string(object, "noisy_reason", where);
  timing.user_seconds = optional_numbers(object, "user_seconds", where);
  timing.system_seconds = optional_numbers(object, "system_seconds", where);
  return timing;
}

Comparison read_comparison(const json::element& entry, const std::string& where) {
  auto object = json::to_object(entry, where);
  auto number = [&](std::string_view key) {
    return json::to_number(json::require(object, key, where), json::join(where, key));
  };
  Comparison comparison;
  comparison.a = json::to_string(json::require(object, "a", where), json::join(where, "a"));
  comparison.b = json::to_string(json::require(object, "b", where), json::join(where, "b"));
  comparison.ratio = number("ratio");
  comparison.low = number("low");
  comparison.high = number("high");
  if (auto significant = json::find(object, "significant"))
    comparison.significant = json::to_bool(*significant, json::join(where, "significant"));
  comparison.confidence = json::optional_number(object, "confidence", where);
  comparison.threshold = json::optional_number(object, "threshold", where);
  if (auto rounds = json::find(object, "rounds"))
    comparison.rounds = json::to_count(*rounds, json::join(where, "rounds"));
  comparison.verdict = optional_string(object, "verdict", where);
  return comparison;
}

}  // namespace

Timers read_timers(const json::element& value) {
  auto object = json::to_object(value, "timers");
  Timers timers;
  if (auto timings = json::find(object, "timings")) {
    std::size_t i = 0;
    for (auto entry : json::to_array(*timings, "timers.timings"))
      timers.timings.push_back(read_timing(entry, fmt::format("timers.timings[{}]", i++)));
  }
  if (auto comparisons = json::find(object, "comparisons")) {
    std::size_t i = 0;
    for (auto entry : json::to_array(*comparisons, "timers.comparisons"))
      timers.comparisons.push_back(read_comparison(entry, fmt::format("timers.comparisons[{}]", i++)));
  }
  return timers;
}

}  // namespace prof::viewer
