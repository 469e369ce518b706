#include "export/marshal.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace prof::viewer {

void MarshalWriter::int32(std::int32_t value) {
  auto bits = static_cast<std::uint32_t>(value);
  for (int i = 0; i < 4; ++i)
    byte(static_cast<unsigned char>(bits >> (8 * i)));
}

void MarshalWriter::begin_tuple(std::uint32_t size) {
  if (size < 256) {  // TYPE_SMALL_TUPLE: one byte of size
    byte(')');
    byte(static_cast<unsigned char>(size));
  } else {
    byte('(');
    int32(static_cast<std::int32_t>(size));
  }
}

void MarshalWriter::integer(std::int64_t value) {
  if (value >= INT32_MIN && value <= INT32_MAX) {
    byte('i');
    int32(static_cast<std::int32_t>(value));
    return;
  }
  // TYPE_LONG: a signed count of 15-bit digits (the sign is the number's), least significant first.
  std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::vector<std::uint16_t> digits;
  for (; magnitude != 0; magnitude >>= 15)
    digits.push_back(static_cast<std::uint16_t>(magnitude & 0x7FFF));
  byte('l');
  auto count = static_cast<std::int32_t>(digits.size());
  int32(value < 0 ? -count : count);
  for (auto digit : digits) {
    byte(static_cast<unsigned char>(digit & 0xFF));
    byte(static_cast<unsigned char>(digit >> 8));
  }
}

void MarshalWriter::real(double value) {
  byte('g');
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 8; ++i)
    byte(static_cast<unsigned char>(bits >> (8 * i)));
}

namespace {

// marshal's str is UTF-8 (surrogates allowed, as in symbolised snapshots' \udcXX): another byte would stop
// Python's marshal.load on the whole file, so it becomes U+FFFD.
std::string loadable_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto byte_at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = byte_at(i);
    std::size_t n = c < 0x80                 ? 1
                    : c >= 0xC2 && c < 0xE0  ? 2
                    : c >= 0xE0 && c < 0xF0  ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    bool valid = n != 0 && i + n <= text.size();
    for (std::size_t k = 1; valid && k < n; ++k)
      valid = (byte_at(i + k) & 0xC0) == 0x80;
    if (valid) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace

void MarshalWriter::text(std::string_view text) {
  auto utf8 = loadable_utf8(text);
  byte('u');
  int32(static_cast<std::int32_t>(utf8.size()));
  out_.write(utf8.data(), static_cast<std::streamsize>(utf8.size()));
}

}  // namespace prof::viewer
