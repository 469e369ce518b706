#pragma once
// Steps over JSON text without parsing it, for the readers that look ahead of the DOM parser: the meta in a
// file's head (read/snapshot_files), the stacks table read before simdjson (read/plain_stacks) and the
// members a symbolised file keeps as written (symbolise/top_level_members). Only strings and brackets are
// followed: the parser that reads the values afterwards checks the rest. Inline: the stacks table's loop
// calls them for every number.

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace prof::viewer::json_scan {

constexpr std::size_t kNone = std::string_view::npos;

inline bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline std::size_t skip_space(const char* text, std::size_t size, std::size_t at) {
  while (at < size && is_space(text[at]))
    ++at;
  return at;
}

inline std::size_t skip_space(std::string_view text, std::size_t at) {
  return skip_space(text.data(), text.size(), at);
}

// The end of the string whose opening quote is at `at` (just past its closing quote), or kNone. `escaped`
// becomes true when it holds a backslash.
inline std::size_t skip_string(const char* text, std::size_t size, std::size_t at, bool& escaped) {
  ++at;
  while (at < size) {
    const void* quote = std::memchr(text + at, '"', size - at);
    if (!quote) return kNone;
    auto end = static_cast<std::size_t>(static_cast<const char*>(quote) - text);
    // A quote preceded by an odd number of backslashes is part of the string.
    std::size_t slashes = 0;
    while (end - slashes > at && text[end - slashes - 1] == '\\')
      ++slashes;
    if (std::memchr(text + at, '\\', end - at)) escaped = true;
    if (slashes % 2 == 0) return end + 1;
    at = end + 1;
  }
  return kNone;
}

inline std::size_t skip_string(std::string_view text, std::size_t at) {
  bool escaped = false;
  return skip_string(text.data(), text.size(), at, escaped);
}

// The bytes a skipped value's brackets and strings turn on; everything else is passed over a byte at a time
// with one lookup.
inline constexpr auto kStructural = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view("\"[]{}"))
    table[c] = true;
  return table;
}();

// The end of the value at `at` (an object or array up to its closing bracket, a string, or a scalar up to
// the separator after it), or kNone when the text ends first.
inline std::size_t skip_value(const char* text, std::size_t size, std::size_t at) {
  bool escaped = false;
  if (at >= size) return kNone;
  if (text[at] == '"') return skip_string(text, size, at, escaped);
  if (text[at] != '[' && text[at] != '{') {  // a number, true, false or null
    while (at < size && text[at] != ',' && text[at] != '}' && text[at] != ']' && !is_space(text[at]))
      ++at;
    return at < size ? at : kNone;
  }
  std::size_t depth = 0;
  while (at < size) {
    while (at < size && !kStructural[static_cast<unsigned char>(text[at])])
      ++at;
    if (at >= size) break;
    char c = text[at];
    if (c == '"') {
      at = skip_string(text, size, at, escaped);
      if (at == kNone) return at;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return at + 1;
    ++at;
  }
  return kNone;
}

inline std::size_t skip_value(std::string_view text, std::size_t at) {
  return skip_value(text.data(), text.size(), at);
}

}  // namespace prof::viewer::json_scan
