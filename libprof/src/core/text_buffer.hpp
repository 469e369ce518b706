#pragma once
// Builds a NUL-terminated string in a fixed buffer without allocating; overflow is remembered and reported
// once by finish(), so callers do not check every append.

#include <charconv>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace prof::core {

class TextBuffer {
 public:
  TextBuffer(char* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {}

  TextBuffer& text(std::string_view s) noexcept {
    if (used_ + s.size() >= capacity_) {
      overflow_ = true;
      return *this;
    }
    std::memcpy(out_ + used_, s.data(), s.size());
    used_ += s.size();
    return *this;
  }

  TextBuffer& number(long long n, int min_digits = 1) noexcept {
    char digits[24];
    bool negative = n < 0;
    auto r = std::to_chars(digits, digits + sizeof digits,
                           negative ? -(n + 1) + 1ULL : static_cast<unsigned long long>(n));
    auto len = static_cast<int>(r.ptr - digits);
    if (negative) text("-");
    for (int i = len; i < min_digits; ++i)
      text("0");
    return text(std::string_view(digits, static_cast<std::size_t>(len)));
  }

  // Length written (NUL-terminated), or 0 on overflow.
  std::size_t finish() noexcept {
    if (overflow_ || capacity_ == 0) return 0;
    out_[used_] = '\0';
    return used_;
  }

  std::string_view view() const noexcept { return std::string_view(out_, used_); }
  bool overflow() const noexcept { return overflow_; }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  bool overflow_ = false;
};

}  // namespace prof::core
