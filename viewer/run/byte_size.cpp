#include "run/byte_size.hpp"

#include <cctype>

namespace prof::viewer::run {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  constexpr std::uint64_t kMax = std::uint64_t{1} << 40;
  std::size_t at = 0;
  std::uint64_t value = 0;
  for (; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at) {
    value = value * 10 + static_cast<std::uint64_t>(text[at] - '0');
    if (value > kMax) return std::nullopt;
  }
  if (at == 0) return std::nullopt;
  std::string_view suffix = text.substr(at);
  int shift = 0;
  if (!suffix.empty()) {
    switch (std::tolower(static_cast<unsigned char>(suffix[0]))) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      case 'b':
        shift = -1;
        break;
      default:
        return std::nullopt;
    }
    suffix.remove_prefix(1);
    if (shift > 0 && !suffix.empty() && suffix[0] == 'i') suffix.remove_prefix(1);
    if (shift > 0 && !suffix.empty() && std::tolower(static_cast<unsigned char>(suffix[0])) == 'b')
      suffix.remove_prefix(1);
    if (!suffix.empty()) return std::nullopt;
  }
  if (shift <= 0) return value;
  if (value > (kMax >> shift)) return std::nullopt;
  return value << shift;
}

}  // namespace prof::viewer::run
