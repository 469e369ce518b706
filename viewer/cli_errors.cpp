#include "cli_errors.hpp"

#include <cstdio>

namespace prof::viewer {

std::string describe_parse_error(const CLI::ParseError& error, const std::string& first_argument) {
  std::string message = error.what();
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    // "Could not convert: --top = x"
    auto colon = message.find(": ");
    auto equals = message.find(" = ");
    if (colon != std::string::npos && equals != std::string::npos && equals > colon)
      return message.substr(colon + 2, equals - colon - 2) +
             ": not a valid value: " + message.substr(equals + 3);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // "The following argument(s) was/were not expected: --bogus x"
    auto colon = message.rfind(": ");
    if (colon != std::string::npos) {
      auto extras = message.substr(colon + 2);
      auto first = extras.substr(0, extras.find(' '));
      if (first.starts_with("-")) return first + ": unknown option";
      return first + ": unexpected argument";
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
      message.find("subcommand") != std::string::npos) {
    if (!first_argument.empty() && !first_argument.starts_with("-"))
      return first_argument + ": unknown command (choose run, report, diff or timeit)";
    return "a command is required: run, report, diff or timeit (see prof --help)";
  }
  // "NEW is required": say which command wants it, as every other error names where it is.
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && !first_argument.empty() &&
      !first_argument.starts_with("-"))
    return first_argument + ": " + message;
  return message;
}

void print_error_line(std::string message) {
  for (auto& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  while (!message.empty() && message.back() == ' ')
    message.pop_back();
  std::fprintf(stderr, "prof: error: %s\n", message.c_str());
}

}  // namespace prof::viewer
