#pragma once
// hyperfine's parameter runs: `--parameter-scan N 1 4` or `--parameter-list N 1,2,4` turn one command with
// `{N}` in it into one command per value, timed and compared like commands given one by one.
#include <optional>
#include <string>
#include <vector>

namespace prof::viewer {

struct Parameter {
  std::string name;
  std::vector<std::string> values;
};

// `--parameter-scan NAME MIN MAX [--parameter-step-size STEP]`: integers from MIN to MAX (inclusive).
Parameter parameter_scan(const std::vector<std::string>& words, long step);  // throws UserError
// `--parameter-list NAME a,b,c`.
Parameter parameter_list(const std::vector<std::string>& words);  // throws UserError

// Every command with each value in turn ("{NAME}" replaced), commands first then values; the commands as
// given when there is no parameter. Throws UserError when a command does not mention {NAME}.
std::vector<std::string> expand_parameter(const std::vector<std::string>& commands,
                                          const std::optional<Parameter>& parameter);

}  // namespace prof::viewer
