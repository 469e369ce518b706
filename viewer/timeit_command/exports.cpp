#include "timeit_command/exports.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "timeit/statistics.hpp"

namespace prof::viewer {

namespace {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double max_of(const std::vector<double>& values) {
  return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

double mean_of(const std::vector<double>& values) {
  return values.empty() ? 0 : stats::mean(values);
}

}  // namespace

std::string export_json(const std::vector<CommandTiming>& timings,
                        const std::vector<std::vector<int>>& exit_codes) {
  std::string out = "{\n  \"results\": [";
  for (std::size_t i = 0; i < timings.size(); ++i) {
    const auto& t = timings[i].timing;
    out += i ? ",\n    {" : "\n    {";
    out += fmt::format(
        "\"command\": {}, \"mean\": {}, \"stddev\": {}, \"median\": {}, \"user\": {}, "
        "\"system\": {}, \"min\": {}, \"max\": {}, \"times\": [{}], \"exit_codes\": [{}]}}",
        json_string(t.name), t.mean.value_or(0), t.stddev.value_or(0), t.median.value_or(0),
        mean_of(t.user_seconds), mean_of(t.system_seconds), t.min.value_or(0), max_of(t.samples),
        fmt::join(t.samples, ", "), fmt::join(exit_codes[i], ", "));
  }
  return out + "\n  ]\n}\n";
}

std::string export_csv(const std::vector<CommandTiming>& timings) {
  std::string out = "command,mean,stddev,median,user,system,min,max\n";
  for (const auto& timing : timings) {
    const auto& t = timing.timing;
    out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(t.name), t.mean.value_or(0),
                       t.stddev.value_or(0), t.median.value_or(0), mean_of(t.user_seconds),
                       mean_of(t.system_seconds), t.min.value_or(0), max_of(t.samples));
  }
  return out;
}

std::string export_markdown(const std::vector<CommandTiming>& timings) {
  double fastest = 0;
  for (const auto& timing : timings)
    if (fastest == 0 || timing.timing.mean.value_or(0) < fastest) fastest = timing.timing.mean.value_or(0);
  std::string out = "| Command | Mean [ms] | Min [ms] | Max [ms] | Relative |\n|:---|---:|---:|---:|---:|\n";
  for (const auto& timing : timings) {
    const auto& t = timing.timing;
    std::string name = t.name;
    std::replace(name.begin(), name.end(), '|', '/');
    double relative = fastest > 0 ? t.mean.value_or(0) / fastest : 1;
    out +=
        fmt::format("| `{}` | {:.1f} ± {:.1f} | {:.1f} | {:.1f} | {:.2f} |\n", name, t.mean.value_or(0) * 1e3,
                    t.stddev.value_or(0) * 1e3, t.min.value_or(0) * 1e3, max_of(t.samples) * 1e3, relative);
  }
  return out;
}

}  // namespace prof::viewer
