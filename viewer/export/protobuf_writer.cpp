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

void ProtobufWriter::packed(std::uint32_t field, std::span<const std::uint64_t> values) {
  if (values.empty()) return;  // an empty packed field is the same as none
  ProtobufWriter payload;
  for (auto value : values)
    payload.raw_varint(value);
  bytes(field, payload.data_);
}

void ProtobufWriter::packed(std::uint32_t field, std::span<const std::int64_t> values) {
  if (values.empty()) return;
  ProtobufWriter payload;
  for (auto value : values)
    payload.raw_varint(static_cast<std::uint64_t>(value));
  bytes(field, payload.data_);
}

}  // namespace prof::viewer
