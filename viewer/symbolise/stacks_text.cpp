#include "symbolise/stacks_text.hpp"

#include <charconv>

namespace prof::viewer {

namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// One stack from `at` (just past its '['): frame numbers separated by commas, then ']'. Returns the position
// past the ']', or kNone.
std::size_t scan_stack(std::string_view text, std::size_t at, const std::vector<OuterFrames>& outer,
                       std::vector<OuterInsertion>& insertions) {
  if (at < text.size() && text[at] == ']') return at + 1;
  while (at < text.size()) {
    const std::size_t start = at;
    std::uint64_t frame = 0;
    while (at < text.size() && is_digit(text[at]) && at - start < 10)
      frame = frame * 10 + static_cast<std::uint64_t>(text[at++] - '0');
    // JSON numbers have no leading zeros; a frame is below the table's size.
    if (at == start || (text[start] == '0' && at - start > 1) || frame >= outer.size()) return kNone;
    if (outer[frame].count) insertions.push_back({at, static_cast<std::uint32_t>(frame)});
    if (at >= text.size()) return kNone;
    const char next = text[at++];
    if (next == ']') return at;
    if (next != ',') return kNone;
  }
  return kNone;
}

}  // namespace

std::optional<std::vector<OuterInsertion>> outer_insertions(std::string_view stacks,
                                                            const std::vector<OuterFrames>& outer) {
  std::vector<OuterInsertion> insertions;
  if (stacks.size() < 2 || stacks.front() != '[' || stacks.back() != ']') return std::nullopt;
  if (stacks.size() == 2) return insertions;  // no stacks
  std::size_t at = 1;
  while (true) {
    if (at >= stacks.size() || stacks[at] != '[') return std::nullopt;
    at = scan_stack(stacks, at + 1, outer, insertions);
    if (at == kNone || at >= stacks.size()) return std::nullopt;
    const char next = stacks[at++];
    if (next == ']') {
      if (at != stacks.size()) return std::nullopt;
      return insertions;
    }
    if (next != ',') return std::nullopt;
  }
}

std::string outer_text(const OuterFrames& frames) {
  std::string text;
  char digits[16];
  for (std::uint32_t k = 0; k < frames.count; ++k) {
    text += ',';
    text.append(digits, std::to_chars(digits, digits + sizeof digits, frames.first + k).ptr);
  }
  return text;
}

}  // namespace prof::viewer
