#include "symbolise/top_level_members.hpp"

#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "read/json_scan.hpp"

namespace prof::viewer {

namespace {

constexpr std::size_t kBad = std::string_view::npos;

using json_scan::skip_space;
using json_scan::skip_string;

// The first of `"[]{}` at or after `i` (json.size() when none). Sixteen bytes at a time where SSE2 is there
// (every x86-64): inside a stacks or sites table a structural byte comes every ten to twenty bytes of digits
// and commas, and a byte-at-a-time loop was half of `prof run`'s finish after a run of 117 649 stacks.
std::size_t next_structural(std::string_view json, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i open = _mm_set1_epi8('{');   // '[' | 0x20
  const __m128i close = _mm_set1_epi8('}');  // ']' | 0x20
  const __m128i case_bit = _mm_set1_epi8(0x20);
  while (i + 16 <= json.size()) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(json.data() + i));
    const __m128i folded = _mm_or_si128(bytes, case_bit);  // brackets and braces alike
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote),
                     _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i < json.size() && !json_scan::kStructural[static_cast<unsigned char>(json[i])])
    ++i;
  return i;
}

// `i` at a value's first byte: the index just past it. Brackets must pair up; scalars end at the next
// separator.
std::size_t end_of_value(std::string_view json, std::size_t i) {
  if (json[i] != '[' && json[i] != '{') return json_scan::skip_value(json, i);  // a string or a scalar
  // The open brackets, innermost in the low bit (1: a brace), while they fit in 64 bits; deeper ones in
  // `deeper`.
  std::uint64_t open = 0;
  std::size_t depth = 0;
  std::string deeper;
  while (i < json.size()) {
    // Inside brackets only strings and brackets matter: the rest (a stacks table's megabytes of digits and
    // commas) is passed over.
    i = next_structural(json, i);
    if (i >= json.size()) break;
    const char c = json[i];
    if (c == '"') {
      i = skip_string(json, i);
      if (i == kBad) return kBad;
      continue;
    }
    const bool brace = c == '{' || c == '}';
    if (c == '{' || c == '[') {
      if (depth >= 64) deeper += static_cast<char>(open >> 63);
      open = open << 1 | (brace ? 1 : 0);
      ++depth;
    } else {
      if ((open & 1) != (brace ? 1u : 0u)) return kBad;
      open >>= 1;
      if (depth > 64) {
        open |= static_cast<std::uint64_t>(deeper.back()) << 63;
        deeper.pop_back();
      }
      if (--depth == 0) return i + 1;
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
