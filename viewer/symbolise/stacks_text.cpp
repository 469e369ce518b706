#include "symbolise/stacks_text.hpp"

#include <charconv>
#include <cstdint>

namespace prof::viewer {

namespace {

void append_number(std::string& out, std::uint32_t value) {
  char digits[16];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// One stack from `at` (just past its '['): frame numbers separated by commas, then ']'. Returns the position
// past the ']', or npos.
std::size_t append_stack(std::string& out, std::string_view text, std::size_t at,
                         const std::vector<OuterFrames>& outer) {
  if (at < text.size() && text[at] == ']') {
    out += ']';
    return at + 1;
  }
  while (at < text.size()) {
    std::size_t start = at;
    std::uint64_t frame = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 10)
      frame = frame * 10 + static_cast<std::uint64_t>(text[at++] - '0');
    // JSON numbers have no leading zeros; a frame is below the table's size.
    if (at == start || (text[start] == '0' && at - start > 1) || frame >= outer.size())
      return std::string_view::npos;
    out.append(text.data() + start, at - start);
    const auto& more = outer[frame];
    for (std::uint32_t k = 0; k < more.count; ++k) {
      out += ',';
      append_number(out, more.first + k);
    }
    if (at >= text.size()) return std::string_view::npos;
    char next = text[at++];
    out += next;
    if (next == ']') return at;
    if (next != ',') return std::string_view::npos;
  }
  return std::string_view::npos;
}

}  // namespace

bool append_stacks_with_outer_frames(std::string& out, std::string_view stacks,
                                     const std::vector<OuterFrames>& outer) {
  const std::size_t before = out.size();
  auto fail = [&] {
    out.resize(before);
    return false;
  };
  if (stacks.size() < 2 || stacks.front() != '[' || stacks.back() != ']') return fail();
  out.reserve(before + stacks.size() + stacks.size() / 8);
  out += '[';
  std::size_t at = 1;
  if (stacks[at] == ']') {  // no stacks
    if (at + 1 != stacks.size()) return fail();
    out += ']';
    return true;
  }
  while (true) {
    if (at >= stacks.size() || stacks[at] != '[') return fail();
    out += '[';
    at = append_stack(out, stacks, at + 1, outer);
    if (at == std::string_view::npos || at >= stacks.size()) return fail();
    char next = stacks[at++];
    out += next;
    if (next == ']') return at == stacks.size() || fail();
    if (next != ',') return fail();
  }
}

}  // namespace prof::viewer
