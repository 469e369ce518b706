#include "core/json_writer.hpp"

#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>

namespace prof::core {

namespace {

std::atomic<std::uint64_t> g_flushed{0};

}  // namespace

std::uint64_t flushed_bytes() noexcept {
  return g_flushed.load(std::memory_order_relaxed);
}

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
    g_flushed.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
  }
  used_ = 0;
  return !failed_;
}

void JsonWriter::put_in_pieces(std::string_view text) noexcept {
  for (char c : text)
    put(c);
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
  put_json_string_body(text, [this](std::string_view piece) { put(piece); });
  put('"');
}

void JsonWriter::value(std::string_view text) noexcept {
  before_value();
  put_string(text);
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
