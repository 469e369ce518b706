#include "core/json_writer.hpp"

#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cmath>

namespace prof::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when the first byte does not start one.
std::size_t utf8_sequence_length(std::string_view s) noexcept {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

JsonWriter::JsonWriter(int fd, char* buffer, std::size_t capacity) noexcept
    : fd_(fd), buffer_(buffer), capacity_(capacity) {}

bool JsonWriter::flush() noexcept {
  std::size_t done = 0;
  while (!failed_ && done < used_) {
    ssize_t n = ::write(fd_, buffer_ + done, used_ - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = true;
      error_ = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  used_ = 0;
  return !failed_;
}

void JsonWriter::put(char c) noexcept {
  if (used_ == capacity_ && !flush()) return;
  buffer_[used_++] = c;
}

void JsonWriter::put(std::string_view text) noexcept {
  for (char c : text)
    put(c);
}

void JsonWriter::before_value() noexcept {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_value_[depth_]) put(',');
  has_value_[depth_] = true;
}

void JsonWriter::begin_object() noexcept {
  before_value();
  put('{');
  if (depth_ < kMaxDepth) ++depth_;
  has_value_[depth_] = false;
}

void JsonWriter::end_object() noexcept {
  put('}');
  if (depth_ > 0) --depth_;
}

void JsonWriter::begin_array() noexcept {
  before_value();
  put('[');
  if (depth_ < kMaxDepth) ++depth_;
  has_value_[depth_] = false;
}

void JsonWriter::end_array() noexcept {
  put(']');
  if (depth_ > 0) --depth_;
}

void JsonWriter::key(std::string_view name) noexcept {
  before_value();
  put_string(name);
  put(':');
  after_key_ = true;
}

void JsonWriter::put_string(std::string_view text) noexcept {
  put('"');
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      put('\\');
      put(static_cast<char>(c));
    } else if (c < 0x20) {
      put('\\');
      switch (c) {
        case '\n':
          put('n');
          break;
        case '\t':
          put('t');
          break;
        case '\r':
          put('r');
          break;
        case '\b':
          put('b');
          break;
        case '\f':
          put('f');
          break;
        default:
          put("u00");
          put(kHex[c >> 4]);
          put(kHex[c & 0xF]);
      }
    } else if (c < 0x80) {
      put(static_cast<char>(c));
    } else {
      std::size_t n = utf8_sequence_length(text.substr(i));
      if (n == 0) {
        put(kReplacement);
        ++i;
        continue;
      }
      put(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  put('"');
}

void JsonWriter::value(std::string_view text) noexcept {
  before_value();
  put_string(text);
}

void JsonWriter::value(std::int64_t number) noexcept {
  before_value();
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, number);
  put(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
}

void JsonWriter::value(std::uint64_t number) noexcept {
  before_value();
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, number);
  put(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
}

void JsonWriter::value(double number) noexcept {
  if (!std::isfinite(number)) {
    null();
    return;
  }
  before_value();
  char digits[32];
  auto result = std::to_chars(digits, digits + sizeof digits, number);
  put(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
}

void JsonWriter::value(bool flag) noexcept {
  before_value();
  put(flag ? std::string_view("true") : std::string_view("false"));
}

void JsonWriter::null() noexcept {
  before_value();
  put("null");
}

}  // namespace prof::core
