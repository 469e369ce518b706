#pragma once
// Every error prof reports is one line on stderr, `prof: error: WHERE: WHAT`, so scripts can grep it.
#include <string>

#include <CLI/CLI.hpp>

namespace prof::viewer {

// CLI11's message rephrased to name the offending flag first, e.g. "--bogus: unknown option".
// `first_argument` is argv[1] (or ""), to name an unknown command.
std::string describe_parse_error(const CLI::ParseError& error, const std::string& first_argument);

// Prints `prof: error: MESSAGE` with any line breaks in MESSAGE turned into spaces.
void print_error_line(std::string message);

}  // namespace prof::viewer
