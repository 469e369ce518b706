#include "symbolise/top_level_members.hpp"

#include <string>

#include "read/json_scan.hpp"

namespace prof::viewer {

namespace {

constexpr std::size_t kBad = std::string_view::npos;

using json_scan::skip_space;
using json_scan::skip_string;

// `i` at a value's first byte: the index just past it. Brackets must pair up; scalars end at the next
// separator.
std::size_t end_of_value(std::string_view json, std::size_t i) {
  if (json[i] != '[' && json[i] != '{') return json_scan::skip_value(json, i);  // a string or a scalar
  std::string closers;
  while (i < json.size()) {
    // Inside brackets only strings and brackets matter: the rest (a stacks table's megabytes of digits and
    // commas) is passed over with one lookup a byte.
    while (i < json.size() && !json_scan::kStructural[static_cast<unsigned char>(json[i])])
      ++i;
    if (i >= json.size()) break;
    const char c = json[i];
    if (c == '"') {
      i = skip_string(json, i);
      if (i == kBad) return kBad;
      continue;
    }
    if (c == '{' || c == '[') {
      closers += c == '{' ? '}' : ']';
    } else {
      if (closers.back() != c) return kBad;
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
    ++i;
  }
  return kBad;
}

}  // namespace

std::optional<std::vector<RawMember>> top_level_members(std::string_view json) {
  std::vector<RawMember> members;
  std::size_t i = skip_space(json, 0);
  if (i >= json.size() || json[i] != '{') return std::nullopt;
  i = skip_space(json, i + 1);
  if (i < json.size() && json[i] == '}')
    return skip_space(json, i + 1) == json.size() ? std::optional(members) : std::nullopt;
  while (i < json.size() && json[i] == '"') {
    std::size_t key_end = skip_string(json, i);
    if (key_end == kBad) return std::nullopt;
    std::string_view key = json.substr(i + 1, key_end - i - 2);
    if (key.find('\\') != std::string_view::npos) return std::nullopt;
    i = skip_space(json, key_end);
    if (i >= json.size() || json[i] != ':') return std::nullopt;
    i = skip_space(json, i + 1);
    std::size_t value_end = i < json.size() ? end_of_value(json, i) : kBad;
    if (value_end == kBad || value_end == i) return std::nullopt;
    members.push_back({key, json.substr(i, value_end - i)});
    i = skip_space(json, value_end);
    if (i >= json.size()) return std::nullopt;
    if (json[i] == '}') return skip_space(json, i + 1) == json.size() ? std::optional(members) : std::nullopt;
    if (json[i] != ',') return std::nullopt;
    i = skip_space(json, i + 1);
  }
  return std::nullopt;
}

}  // namespace prof::viewer
