#include "symbolise/stacks_text.hpp"

#include <charconv>
#include <cstring>

namespace prof::viewer {

namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr std::uint64_t kEachByte = 0x0101010101010101ull;

// The number of leading digits in the eight bytes at `p` (8: all of them), and their value when fewer: one
// frame number without a branch per digit. Frame numbers are short (a few hundred distinct frames) and of
// every length in turn, which a loop's exit branch mispredicts about once a number.
inline std::uint32_t leading_digits(const char* p, std::uint64_t& value) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);                // little-endian: p[0] in the low byte
  const std::uint64_t x = word ^ (kEachByte * '0');  // a digit's byte becomes its value, 0-9
  // The high bit of each byte that is not a digit (its value 10 or more): no carry crosses a byte.
  const std::uint64_t not_digit = (((x & (kEachByte * 0x7F)) + kEachByte * 0x76) | x) & (kEachByte * 0x80);
  if (!not_digit) return 8;
  const auto count = static_cast<std::uint32_t>(__builtin_ctzll(not_digit)) >> 3;
  if (count == 0) return 0;
  // The digits in the high bytes, zeros (leading zeros) below them, then pairs, fours and eights combined.
  std::uint64_t v = x << (8 * (8 - count));
  v = ((v & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  v = ((v & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  value = v;
  return count;
}

// One stack from `at` (just past its '['): frame numbers separated by commas, then ']'. Returns the position
// past the ']', or kNone.
std::size_t scan_stack(std::string_view text, std::size_t at, const std::vector<OuterFrames>& outer,
                       std::vector<OuterInsertion>& insertions) {
  if (at < text.size() && text[at] == ']') return at + 1;
  while (at < text.size()) {
    const std::size_t start = at;
    std::uint64_t frame = 0;
    std::uint32_t digits = 0;
    if (text.size() - at >= 8 && (digits = leading_digits(text.data() + at, frame)) < 8) {
      at += digits;
    } else {
      while (at < text.size() && is_digit(text[at]) && at - start < 10)
        frame = frame * 10 + static_cast<std::uint64_t>(text[at++] - '0');
    }
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
