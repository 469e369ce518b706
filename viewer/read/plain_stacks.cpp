#include "read/plain_stacks.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "read/json_access.hpp"
#include "read/json_scan.hpp"

namespace prof::viewer {

namespace {

using json_scan::skip_space;
using json_scan::skip_string;
using json_scan::skip_value;

// The number of decimal digits at text[0, 8), eight bytes read at once; and their value in `value`.
// Bytes are digits when their high nibble is 3 before and after adding 6 (simdjson's test for eight digits,
// here per byte); a carry out of a non-digit byte only reaches the bytes after it, which are not counted.
unsigned leading_digits(const char* text, std::uint32_t& value) {
  std::uint64_t chunk;
  std::memcpy(&chunk, text, 8);
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull, kThrees = 0x3030303030303030ull;
  std::uint64_t not_digit =
      ((chunk & kHigh) ^ kThrees) | (((chunk + 0x0606060606060606ull) & kHigh) ^ kThrees);
  unsigned digits = not_digit == 0 ? 8 : static_cast<unsigned>(std::countr_zero(not_digit)) / 8;
  if (digits == 0 || digits == 8) return digits;
  // The digits moved to the top bytes (zeros before them), then summed in pairs, fours and eights.
  std::uint64_t v = (chunk - kThrees) << (8 * (8 - digits));
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
      32;
  value = static_cast<std::uint32_t>(v);
  return digits;
}

// Where the top-level value of "stacks" starts, or npos when the document has none before a key written
// with escapes (which the DOM would compare unescaped) or anything this scan does not follow.
std::size_t find_stacks(const char* text, std::size_t size) {
  auto at = skip_space(text, size, 0);
  if (at >= size || text[at] != '{') return std::string_view::npos;
  at = skip_space(text, size, at + 1);
  while (at < size && text[at] == '"') {
    bool escaped = false;
    auto key_end = skip_string(text, size, at, escaped);
    if (key_end == std::string_view::npos || escaped) return std::string_view::npos;
    std::string_view key(text + at + 1, key_end - at - 2);
    at = skip_space(text, size, key_end);
    if (at >= size || text[at] != ':') return std::string_view::npos;
    auto value = skip_space(text, size, at + 1);
    if (key == "stacks") return value;
    auto value_end = skip_value(text, size, value);
    if (value_end == std::string_view::npos) return value_end;
    at = skip_space(text, size, value_end);
    if (at >= size || text[at] != ',') return std::string_view::npos;
    at = skip_space(text, size, at + 1);
  }
  return std::string_view::npos;
}

// [[1, 2, 3], [], ...] into `out`; the end of the value, or npos for anything else (a sign, a fraction, an
// exponent, a leading zero, more than seven digits, a nested or missing bracket).
std::size_t read_stacks(const char* text, std::size_t size, std::size_t at, PlainStacks& out) {
  auto expect = [&](char c) {
    at = skip_space(text, size, at);
    if (at >= size || text[at] != c) return false;
    ++at;
    return true;
  };
  if (!expect('[')) return std::string_view::npos;
  at = skip_space(text, size, at);
  if (at < size && text[at] == ']') return at + 1;
  for (;;) {
    if (!expect('[')) return std::string_view::npos;
    at = skip_space(text, size, at);
    if (at < size && text[at] == ']') {
      ++at;
    } else {
      for (;;) {
        // Eight bytes at a time while they are there; a frame index has at most seven digits (more, or a
        // number at the very end of the text, is left to the DOM reader).
        if (size - at < 8) return std::string_view::npos;
        std::uint32_t value = 0;
        auto digits = leading_digits(text + at, value);
        if (digits == 0) {  // more than the one space libprof writes after a comma
          at = skip_space(text, size, at);
          if (size - at < 8) return std::string_view::npos;
          digits = leading_digits(text + at, value);
        }
        if (digits == 0 || digits == 8 || (digits > 1 && text[at] == '0')) return std::string_view::npos;
        at += digits;  // below size: eight bytes were there
        out.table.add_frame(value);
        if (value > out.max_frame) out.max_frame = value;
        out.any_frame = true;
        // ", " as libprof writes it, checked first: the general path below takes any spacing.
        if (text[at] == ',') {
          ++at;
          if (at < size && text[at] == ' ') ++at;
          continue;
        }
        at = skip_space(text, size, at);
        if (at >= size) return std::string_view::npos;
        if (text[at] == ']') {
          ++at;
          break;
        }
        if (text[at] != ',') return std::string_view::npos;
        ++at;
      }
    }
    out.table.end_stack();
    at = skip_space(text, size, at);
    if (at >= size) return std::string_view::npos;
    if (text[at] == ']') return at + 1;
    if (text[at] != ',') return std::string_view::npos;
    ++at;
  }
}

}  // namespace

std::optional<PlainStacks> take_plain_stacks(char* json, std::size_t size) {
  auto start = find_stacks(json, size);
  if (start == std::string_view::npos) return std::nullopt;
  PlainStacks stacks;
  // Each frame and each stack takes two bytes of text at least: room for all of them at once, so the tables
  // never move while they grow (117 649 stacks: 14 % of `prof run`'s finish went into moving them). Pages
  // are only touched as they are filled; past 16 M entries (a 32 MB value) the tables grow as before, so a
  // huge file asks for no more address space than it needs.
  constexpr std::size_t kMostReserved = std::size_t{1} << 24;
  const std::size_t most = std::min((size - start) / 2 + 1, kMostReserved);
  stacks.table.reserve(most, most);
  auto end = read_stacks(json, size, start, stacks);
  if (end == std::string_view::npos) return std::nullopt;
  // The value ends where the next token may start: blank it without moving anything after it.
  std::memset(json + start, ' ', end - start);
  json[start] = '[';
  json[start + 1] = ']';
  return stacks;
}

void use_plain_stacks(PlainStacks&& stacks, Snapshot& snapshot) {
  const auto frames = snapshot.frames.size();
  if (stacks.any_frame && stacks.max_frame >= frames)
    for (std::size_t i = 0; i < stacks.table.size(); ++i)
      for (auto frame : stacks.table[i])
        if (frame >= frames)
          json::fail(
              fmt::format("stacks[{}]: frame {} is out of range (frames has {} entries)", i, frame, frames));
  snapshot.stacks = std::move(stacks.table);
}

}  // namespace prof::viewer
