#pragma once
// Streaming JSON writer that never allocates: it fills a caller-supplied buffer and flushes it with write(2),
// so it can run at exit and inside a fatal-signal handler.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace prof::core {

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
  void value(std::int64_t number) noexcept;
  void value(std::uint64_t number) noexcept;
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

  void before_value() noexcept;
  void put(char c) noexcept;
  void put(std::string_view text) noexcept;
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
