#include "timeit_command/parameters.hpp"

#include <charconv>

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

namespace {

long parse_integer(const std::string& text, const char* flag) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw UserError(flag, fmt::format("\"{}\" is not an integer", text));
  return value;
}

}  // namespace

Parameter parameter_scan(const std::vector<std::string>& words, long step) {
  if (words.size() != 3) throw UserError("--parameter-scan", "takes NAME MIN MAX");
  long min = parse_integer(words[1], "--parameter-scan"), max = parse_integer(words[2], "--parameter-scan");
  if (step <= 0) throw UserError("--parameter-step-size", "must be a positive integer");
  if (max < min) throw UserError("--parameter-scan", fmt::format("MAX {} is below MIN {}", max, min));
  if ((max - min) / step >= 10000) throw UserError("--parameter-scan", "more than 10000 values");
  Parameter parameter{words[0], {}};
  for (long value = min; value <= max; value += step)
    parameter.values.push_back(std::to_string(value));
  return parameter;
}

Parameter parameter_list(const std::vector<std::string>& words) {
  if (words.size() != 2) throw UserError("--parameter-list", "takes NAME VALUES (comma-separated)");
  Parameter parameter{words[0], {}};
  std::string value;
  for (char c : words[1] + ",") {
    if (c != ',') {
      value += c;
      continue;
    }
    if (value.empty()) throw UserError("--parameter-list", fmt::format("an empty value in \"{}\"", words[1]));
    parameter.values.push_back(value);
    value.clear();
  }
  return parameter;
}

std::vector<std::string> expand_parameter(const std::vector<std::string>& commands,
                                          const std::optional<Parameter>& parameter) {
  if (!parameter) return commands;
  const std::string placeholder = "{" + parameter->name + "}";
  std::vector<std::string> expanded;
  for (const auto& command : commands) {
    if (command.find(placeholder) == std::string::npos)
      throw UserError(fmt::format("'{}'", command), fmt::format("does not mention {}", placeholder));
    for (const auto& value : parameter->values) {
      std::string text = command;
      for (auto at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
      expanded.push_back(text);
    }
  }
  return expanded;
}

}  // namespace prof::viewer
