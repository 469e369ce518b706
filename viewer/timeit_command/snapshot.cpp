#include "timeit_command/snapshot.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <prof/version.hpp>

#include "core/json_writer.hpp"

namespace prof::viewer {

namespace {

// A command line is bytes: what is not UTF-8 is escaped as \udcXX, as the shim does (docs/SNAPSHOT.md).
std::string json_string(std::string_view text) {
  std::string out = "\"";
  core::put_json_string_body(text, [&](std::string_view piece) { out += piece; });
  return out + "\"";
}

// JSON has no NaN or infinity; a value that is not finite is written as 0 (it never is for real runs).
std::string json_number(double value) {
  return std::isfinite(value) ? fmt::format("{}", value) : "0";
}

std::string json_numbers(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + json_number(values[i]);
  return out + "]";
}

double monotonic_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// /proc/self/cmdline holds prof's own argv, NUL-separated.
std::vector<std::string> own_argv() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> argv;
  std::size_t start = 0;
  while (start < all.size()) {
    auto end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    argv.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return argv;
}

std::string own_exe() {
  char path[4096];
  auto n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string();
}

std::string meta_json(const TimeitProcess& process) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  utsname name{};
  uname(&name);
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  int allowed = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  std::string argv;
  for (const auto& arg : own_argv())
    argv += (argv.empty() ? "" : ", ") + json_string(arg);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return fmt::format(
      "{{\"program\": \"prof\", \"exe\": {}, \"argv\": [{}], \"pid\": {}, \"ppid\": {}, \"host\": {}, "
      "\"start_time\": {}, \"wall_seconds\": {}, \"user_seconds\": {}, \"system_seconds\": {}, "
      "\"max_rss_bytes\": {}, \"exit\": {{\"status\": \"exited\", \"code\": 0}}, \"libprof_version\": {}, "
      "\"writer\": \"prof\", \"clock\": {{\"source\": \"clock_gettime\", \"clock\": \"CLOCK_MONOTONIC\"}}, "
      "\"threads_seen\": 1, \"cores_online\": {}, \"cpus_allowed\": {}}}",
      json_string(own_exe()), argv, getpid(), getppid(), json_string(name.nodename),
      json_string(process.start_time), json_number(monotonic_seconds() - process.start_monotonic),
      json_number(seconds(usage.ru_utime)), json_number(seconds(usage.ru_stime)),
      static_cast<long long>(usage.ru_maxrss) * 1024, json_string(PROF_VERSION_STRING),
      std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)), std::max(1, allowed));
}

std::string timing_json(const Timing& t) {
  return fmt::format(
      "{{\"name\": {}, \"source\": \"command\", \"runs\": {}, \"loops\": 1, \"samples\": {}, \"min\": {}, "
      "\"median\": {}, \"mean\": {}, \"stddev\": {}, \"mad\": {}, \"ci_low\": {}, \"ci_high\": {}, "
      "\"loop_overhead\": 0, \"noisy\": {}, \"noisy_reason\": {}, \"user_seconds\": {}, "
      "\"system_seconds\": {}}}",
      json_string(t.name), t.runs, json_numbers(t.samples), json_number(t.min.value_or(0)),
      json_number(t.median.value_or(0)), json_number(t.mean.value_or(0)), json_number(t.stddev.value_or(0)),
      json_number(t.mad.value_or(0)), json_number(t.ci_low.value_or(0)), json_number(t.ci_high.value_or(0)),
      t.noisy, json_string(t.noisy_reason), json_numbers(t.user_seconds), json_numbers(t.system_seconds));
}

std::string comparison_json(const Comparison& c) {
  return fmt::format(
      "{{\"a\": {}, \"b\": {}, \"ratio\": {}, \"low\": {}, \"high\": {}, \"confidence\": {}, "
      "\"threshold\": {}, \"rounds\": {}, \"significant\": {}, \"verdict\": {}}}",
      json_string(c.a), json_string(c.b), json_number(c.ratio), json_number(c.low), json_number(c.high),
      json_number(c.confidence.value_or(0.95)), json_number(c.threshold.value_or(0)),
      std::max<std::int64_t>(1, c.rounds.value_or(1)), c.significant.value_or(false), json_string(c.verdict));
}

}  // namespace

TimeitProcess timeit_process_start() {
  TimeitProcess process;
  process.start_monotonic = monotonic_seconds();
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::tm utc{};
  gmtime_r(&now.tv_sec, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
  process.start_time = fmt::format("{}.{:06d}Z", date, now.tv_nsec / 1000);
  return process;
}

std::string timeit_snapshot_json(const TimeitProcess& process, const std::vector<CommandTiming>& timings,
                                 const std::vector<Comparison>& comparisons) {
  std::string out = "{\"format\": \"libprof-snapshot\", \"version\": 1,\n \"meta\": " + meta_json(process) +
                    ",\n \"timers\": {\"timings\": [";
  for (std::size_t i = 0; i < timings.size(); ++i)
    out += (i ? ",\n   " : "\n   ") + timing_json(timings[i].timing);
  out += "],\n  \"comparisons\": [";
  for (std::size_t i = 0; i < comparisons.size(); ++i)
    out += (i ? ",\n   " : "\n   ") + comparison_json(comparisons[i]);
  return out + "]}}\n";
}

}  // namespace prof::viewer
