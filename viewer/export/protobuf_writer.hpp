#pragma once
// The few pieces of the protobuf wire format that profile.proto needs: varints, length-delimited fields
// (strings, nested messages, packed repeated integers). pprof's schema is fixed and small, so this encoder
// replaces libprotobuf and protoc (docs/DEPENDENCIES.md says why).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prof::viewer {

class ProtobufWriter {
 public:
  // An int64, uint64 or bool field (wire type 0). Negative int64s take ten bytes, as protobuf says.
  void varint(std::uint32_t field, std::uint64_t value);
  void int64(std::uint32_t field, std::int64_t value) { varint(field, static_cast<std::uint64_t>(value)); }
  // Skips the field when the value is its default: proto3 leaves zeros out.
  void int64_unless_zero(std::uint32_t field, std::int64_t value) {
    if (value != 0) int64(field, value);
  }
  // A string, bytes or nested message (wire type 2).
  void bytes(std::uint32_t field, std::string_view value);
  void message(std::uint32_t field, const ProtobufWriter& nested) { bytes(field, nested.data()); }
  // A packed repeated integer field: one length-delimited field holding the varints back to back.
  void packed(std::uint32_t field, std::span<const std::uint64_t> values);
  void packed(std::uint32_t field, std::span<const std::int64_t> values);

  // Bytes already encoded as fields (a field kept from an earlier message), appended as they are.
  void raw(std::string_view fields) { data_.append(fields); }

  const std::string& data() const { return data_; }
  void clear() { data_.clear(); }

 private:
  void raw_varint(std::uint64_t value);
  void tag(std::uint32_t field, std::uint32_t wire_type) {
    raw_varint((std::uint64_t{field} << 3) | wire_type);
  }

  std::string data_;
};

}  // namespace prof::viewer
