#pragma once
// Streaming JSON writer that never allocates: it fills a caller-supplied buffer and flushes it with write(2),
// so it can run at exit and inside a fatal-signal handler.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace prof::core {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when the first byte does not start one.
constexpr std::size_t utf8_sequence_length(std::string_view s) noexcept {
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

// The body of a JSON string (no quotes) for `bytes`, handed to `put` (callable with std::string_view) piece
// by piece, without allocating. Paths are bytes, not text: a byte that is not part of well-formed UTF-8 is
// written as the escape \udcXX (U+DC80..U+DCFF, Python's surrogateescape), which prof's reader maps back to
// the byte (docs/SNAPSHOT.md, "Strings are bytes"). The code points U+10FF80..U+10FFFF, which the reader also
// maps to bytes, are escaped byte by byte the same way, so every string of bytes comes back unchanged.
template <typename Put>
void put_json_string_body(std::string_view bytes, Put&& put) noexcept {
  constexpr char kHex[] = "0123456789abcdef";
  auto escape_byte = [&](unsigned char c, const char* prefix) {
    const char text[6] = {'\\', 'u', prefix[0], prefix[1], kHex[c >> 4], kHex[c & 0xF]};
    put(std::string_view(text, 6));
  };
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      // A run of characters that stand for themselves goes out in one piece.
      std::size_t end = i + 1;
      while (end < bytes.size()) {
        auto next = static_cast<unsigned char>(bytes[end]);
        if (next < 0x20 || next >= 0x80 || next == '"' || next == '\\') break;
        ++end;
      }
      put(bytes.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '"' || c == '\\') {
      const char text[2] = {'\\', static_cast<char>(c)};
      put(std::string_view(text, 2));
    } else if (c == '\n') {
      put("\\n");
    } else if (c == '\t') {
      put("\\t");
    } else if (c == '\r') {
      put("\\r");
    } else if (c == '\b') {
      put("\\b");
    } else if (c == '\f') {
      put("\\f");
    } else if (c < 0x20) {
      escape_byte(c, "00");
    } else {
      std::size_t n = utf8_sequence_length(bytes.substr(i));
      bool reserved = n == 4 && c == 0xF4 && static_cast<unsigned char>(bytes[i + 1]) == 0x8F &&
                      static_cast<unsigned char>(bytes[i + 2]) >= 0xBE;
      if (n == 0) {
        n = 1;
        reserved = true;
      }
      if (reserved) {
        for (std::size_t k = 0; k < n; ++k)
          escape_byte(static_cast<unsigned char>(bytes[i + k]), "dc");
      } else {
        put(bytes.substr(i, n));
      }
      i += n;
      continue;
    }
    ++i;
  }
}

// Bytes every JsonWriter has written so far, in this process. A thread that waits for another's snapshot
// tells a slow writer (a big snapshot on a network file system) from a stuck one by watching it grow.
std::uint64_t flushed_bytes() noexcept;

class JsonWriter {
 public:
  // `buffer` must outlive the writer; `fd` receives the output on flush().
  JsonWriter(int fd, char* buffer, std::size_t capacity) noexcept;

  void begin_object() noexcept;
  void end_object() noexcept;
  void begin_array() noexcept;
  void end_array() noexcept;
  void key(std::string_view name) noexcept;

  void value(std::string_view text) noexcept;
  void value(const char* text) noexcept { value(text ? std::string_view(text) : std::string_view()); }
  // Numbers are most of a large snapshot (the stacks' frame indexes, the sites' counts): written straight
  // into the buffer when it has room.
  void value(std::int64_t number) noexcept { put_number(number); }
  void value(std::uint64_t number) noexcept { put_number(number); }
  void value(int number) noexcept { value(static_cast<std::int64_t>(number)); }
  void value(long long number) noexcept { value(static_cast<std::int64_t>(number)); }
  void value(unsigned number) noexcept { value(static_cast<std::uint64_t>(number)); }
  void value(unsigned long long number) noexcept { value(static_cast<std::uint64_t>(number)); }
  // Shortest round-trip form; NaN and infinities have no JSON spelling and are written as null.
  void value(double number) noexcept;
  void value(bool flag) noexcept;
  void null() noexcept;

  template <typename T>
  void field(std::string_view name, T v) noexcept {
    key(name);
    value(v);
  }

  // Writes out what is buffered; returns false once any write has failed.
  bool flush() noexcept;
  bool failed() const noexcept { return failed_; }
  // Saved errno of the first failed write, 0 if none.
  int error() const noexcept { return error_; }

 private:
  static constexpr int kMaxDepth = 64;

  void before_value() noexcept {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (has_value_[depth_]) put(',');
    has_value_[depth_] = true;
  }
  // Most numbers of a large snapshot are below 10 000 (frame indexes, counts): written from a table of digit
  // pairs, inline; to_chars (a call, a length loop) took 50 instructions a number, a sixth of what a process
  // with 117 649 sites spends on its snapshot and on its run alike.
  template <typename Integer>
  void put_number(Integer number) noexcept {
    before_value();
    bool small = number < 10000;
    if constexpr (std::is_signed_v<Integer>) small = small && number >= 0;
    if (small && capacity_ - used_ >= 4) {
      used_ += put_small(buffer_ + used_, static_cast<unsigned>(number));
      return;
    }
    put_large(number);
  }
  static std::size_t put_small(char* out, unsigned number) noexcept {
    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    if (number < 10) {
      *out = static_cast<char>('0' + number);
      return 1;
    }
    if (number < 100) {
      std::memcpy(out, kPairs + 2 * number, 2);
      return 2;
    }
    const unsigned high = number / 100, low = number % 100;
    std::size_t length = 3;
    if (high < 10) {
      *out = static_cast<char>('0' + high);
    } else {
      std::memcpy(out, kPairs + 2 * high, 2);
      length = 4;
    }
    std::memcpy(out + length - 2, kPairs + 2 * low, 2);
    return length;
  }
  template <typename Integer>
  __attribute__((noinline)) void put_large(Integer number) noexcept {
    constexpr std::size_t kMaxDigits = 20;  // and a sign
    if (capacity_ - used_ > kMaxDigits) {
      used_ =
          static_cast<std::size_t>(std::to_chars(buffer_ + used_, buffer_ + capacity_, number).ptr - buffer_);
      return;
    }
    char digits[kMaxDigits + 1];
    auto result = std::to_chars(digits, digits + sizeof digits, number);
    put(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }
  // Inline, with a copy of the whole piece when it fits: a snapshot of 100 000 sites is megabytes of these.
  void put(char c) noexcept {
    if (used_ == capacity_ && !flush()) return;
    buffer_[used_++] = c;
  }
  void put(std::string_view text) noexcept {
    if (capacity_ - used_ >= text.size()) {
      std::memcpy(buffer_ + used_, text.data(), text.size());
      used_ += text.size();
    } else {
      put_in_pieces(text);
    }
  }
  void put_in_pieces(std::string_view text) noexcept;
  void put_string(std::string_view text) noexcept;

  int fd_;
  char* buffer_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  bool failed_ = false;
  int error_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
  // Per nesting level: whether a value was already written there, so the next one needs a comma.
  bool has_value_[kMaxDepth + 1] = {};
};

}  // namespace prof::core
