#pragma once
// The few value types of Python's marshal format (version 4, as CPython's Python/marshal.c reads it) that a
// pstats file needs: dict, tuple, int, float, str. Written as a stream: a container's size comes first, then
// its items; a dict ends with a null.
#include <cstdint>
#include <ostream>
#include <string_view>

namespace prof::viewer {

class MarshalWriter {
 public:
  explicit MarshalWriter(std::ostream& out) : out_(out) {}
  void begin_dict() { byte('{'); }
  void end_dict() { byte('0'); }  // TYPE_NULL closes a dict
  void begin_tuple(std::uint32_t size);
  void integer(std::int64_t value);  // 'i' when it fits in 32 bits, else a long 'l' of 15-bit digits
  void real(double value);           // 'g': binary IEEE double, little-endian
  void text(std::string_view text);  // 'u': a str (bytes that are not UTF-8 become U+FFFD)

 private:
  void byte(unsigned char value) { out_.put(static_cast<char>(value)); }
  void int32(std::int32_t value);

  std::ostream& out_;
};

}  // namespace prof::viewer
