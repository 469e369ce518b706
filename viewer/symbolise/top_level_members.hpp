#pragma once
// The members of a snapshot's top-level object as raw text, found by one pass over the bytes: rewriting a
// symbolised snapshot keeps most members as they are, and a full parse of them (a DOM of 8 bytes per token,
// 6 MB of JSON for 117 649 stacks) cost more than the symbolisation itself.
#include <optional>
#include <string_view>
#include <vector>

namespace prof::viewer {

struct RawMember {
  std::string_view key;    // between the quotes, never containing an escape
  std::string_view value;  // the value's text as written
};

// nullopt when `json` is not one object whose keys are free of escapes, with balanced brackets and closed
// strings: the caller then takes the full parse's path.
std::optional<std::vector<RawMember>> top_level_members(std::string_view json);

}  // namespace prof::viewer
