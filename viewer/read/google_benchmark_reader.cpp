#include "read/google_benchmark_reader.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace prof::viewer {

namespace {

double seconds_per_unit(std::string_view unit, std::string_view where) {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "s") return 1;
  json::fail(fmt::format("{}: unknown time_unit \"{}\" (expected ns, us, ms or s)", where, unit));
}

std::string optional_string(const json::object& object, std::string_view key, std::string_view where) {
  auto value = json::find(object, key);
  return value ? std::string(json::to_string(*value, json::join(where, key))) : std::string();
}

// One entry of "benchmarks", as far as a timing needs it.
struct Run {
  std::string run_name;
  bool aggregate = false;
  std::string aggregate_name;  // "mean", "median", "stddev", "cv", or a user's statistic
  std::int64_t iterations = 0;
  std::int64_t repetitions = 1;
  double seconds = 0;  // real time per iteration
  bool failed = false;
};

Run read_run(const json::element& entry, const std::string& where) {
  auto object = json::to_object(entry, where);
  Run run;
  auto name = std::string(json::to_string(json::require(object, "name", where), json::join(where, "name")));
  run.run_name = optional_string(object, "run_name", where);
  if (run.run_name.empty()) run.run_name = name;
  run.aggregate = optional_string(object, "run_type", where) == "aggregate";
  run.aggregate_name = optional_string(object, "aggregate_name", where);
  // A benchmark that called state.SkipWithError() has no meaningful time.
  if (auto error = json::find(object, "error_occurred"))
    run.failed = json::to_bool(*error, json::join(where, "error_occurred"));
  if (run.failed) return run;
  run.iterations =
      json::to_count(json::require(object, "iterations", where), json::join(where, "iterations"));
  if (auto repetitions = json::find(object, "repetitions"))
    run.repetitions =
        std::max<std::int64_t>(1, json::to_count(*repetitions, json::join(where, "repetitions")));
  auto unit = optional_string(object, "time_unit", where);
  auto real_time = json::to_number(json::require(object, "real_time", where), json::join(where, "real_time"));
  // Aggregates in percent ("cv") or user units carry no time.
  if (optional_string(object, "aggregate_unit", where) == "percentage") return run;
  run.seconds = real_time * seconds_per_unit(unit.empty() ? "ns" : unit, json::join(where, "time_unit"));
  return run;
}

struct Group {
  std::vector<Run> iterations;
  std::map<std::string, Run> aggregates;
};

Timing timing_from_group(const std::string& name, const Group& group) {
  Timing timing;
  timing.name = name;
  timing.source = "google-benchmark";
  if (!group.iterations.empty()) {
    for (const auto& run : group.iterations)
      timing.samples.push_back(run.seconds);
    timing.runs = static_cast<std::int64_t>(timing.samples.size());
    timing.loops = std::max<std::int64_t>(1, group.iterations.front().iterations);
    return timing;
  }
  // Aggregates only: the central value stands as the one sample; the spread comes from the stddev.
  auto find = [&](const char* key) -> const Run* {
    auto it = group.aggregates.find(key);
    return it == group.aggregates.end() ? nullptr : &it->second;
  };
  const Run* median = find("median");
  const Run* mean = find("mean");
  const Run* centre = median ? median : mean;
  if (!centre) return timing;
  timing.samples = {centre->seconds};
  timing.runs = centre->repetitions;
  timing.loops = 1;
  if (median) timing.median = median->seconds;
  if (mean) timing.mean = mean->seconds;
  if (const Run* stddev = find("stddev")) timing.stddev = stddev->seconds;
  return timing;
}

}  // namespace

bool is_google_benchmark(const json::object& root) {
  return json::find(root, "context").has_value() && json::find(root, "benchmarks").has_value();
}

Snapshot read_google_benchmark(const json::object& root, const std::string& path) {
  auto context = json::to_object(json::require(root, "context", ""), "context");
  Snapshot snapshot;
  snapshot.path = path;
  snapshot.version = kSnapshotFormatVersion;
  auto& meta = snapshot.meta;
  meta.exe = optional_string(context, "executable", "context");
  meta.program = meta.exe.substr(meta.exe.rfind('/') + 1);
  if (!meta.exe.empty()) meta.argv = {meta.exe};
  meta.host = optional_string(context, "host_name", "context");
  meta.start_time = optional_string(context, "date", "context");
  meta.writer = "google-benchmark";
  meta.exit.kind = ExitStatus::Kind::unknown;
  if (auto cpus = json::find(context, "num_cpus"))
    meta.cores_online = json::to_count(*cpus, "context.num_cpus");

  std::vector<std::string> order;  // first appearance, as Google Benchmark printed them
  std::map<std::string, Group> groups;
  std::size_t i = 0;
  for (auto entry : json::to_array(json::require(root, "benchmarks", ""), "benchmarks")) {
    auto run = read_run(entry, fmt::format("benchmarks[{}]", i++));
    if (run.failed) continue;
    auto [it, inserted] = groups.try_emplace(run.run_name);
    if (inserted) order.push_back(run.run_name);
    if (run.aggregate)
      it->second.aggregates.emplace(run.aggregate_name, run);
    else
      it->second.iterations.push_back(run);
  }
  Timers timers;
  for (const auto& name : order) {
    auto timing = timing_from_group(name, groups[name]);
    if (!timing.samples.empty()) timers.timings.push_back(std::move(timing));
  }
  snapshot.timers = std::move(timers);
  return snapshot;
}

}  // namespace prof::viewer
