#include "export/protobuf_writer.hpp"

namespace prof::viewer {

namespace {
constexpr std::uint32_t kVarint = 0;
constexpr std::uint32_t kLengthDelimited = 2;
}  // namespace

void ProtobufWriter::raw_varint(std::uint64_t value) {
  // Seven bits a byte, low bits first, the top bit saying "more follows".
  while (value >= 0x80) {
    data_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  data_.push_back(static_cast<char>(value));
}

void ProtobufWriter::varint(std::uint32_t field, std::uint64_t value) {
  tag(field, kVarint);
  raw_varint(value);
}

void ProtobufWriter::bytes(std::uint32_t field, std::string_view value) {
  tag(field, kLengthDelimited);
  raw_varint(value.size());
  data_.append(value);
}

namespace {

std::size_t varint_size(std::uint64_t value) {
  std::size_t size = 1;
  for (; value >= 0x80; value >>= 7)
    ++size;
  return size;
}

}  // namespace

// The payload's length is counted first, so the varints go straight into place: a merged run writes ten
// million samples, two packed fields each, and a temporary buffer per field was most of their cost.
void ProtobufWriter::packed(std::uint32_t field, std::span<const std::uint64_t> values) {
  if (values.empty()) return;  // an empty packed field is the same as none
  std::size_t size = 0;
  for (auto value : values)
    size += varint_size(value);
  tag(field, kLengthDelimited);
  raw_varint(size);
  for (auto value : values)
    raw_varint(value);
}

void ProtobufWriter::packed(std::uint32_t field, std::span<const std::int64_t> values) {
  if (values.empty()) return;
  std::size_t size = 0;
  for (auto value : values)
    size += varint_size(static_cast<std::uint64_t>(value));
  tag(field, kLengthDelimited);
  raw_varint(size);
  for (auto value : values)
    raw_varint(static_cast<std::uint64_t>(value));
}

}  // namespace prof::viewer
