// The protobuf encoder against the wire format's own examples (protobuf.dev, "Encoding").
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "export/protobuf_writer.hpp"

using prof::viewer::ProtobufWriter;

namespace {
std::vector<int> bytes_of(const std::string& data) {
  std::vector<int> out;
  for (unsigned char c : data)
    out.push_back(c);
  return out;
}
}  // namespace

TEST_CASE("protobuf: a varint field is its tag then seven bits a byte, low bits first") {
  ProtobufWriter writer;
  writer.varint(1, 150);
  CHECK(bytes_of(writer.data()) == std::vector<int>{0x08, 0x96, 0x01});
}

TEST_CASE("protobuf: a negative int64 takes ten bytes (two's complement, not zigzag)") {
  ProtobufWriter writer;
  writer.int64(2, -1);
  CHECK(bytes_of(writer.data()) ==
        std::vector<int>{0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
}

TEST_CASE("protobuf: strings and nested messages are length-delimited") {
  ProtobufWriter writer;
  writer.bytes(2, "testing");
  CHECK(bytes_of(writer.data()) == std::vector<int>{0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'});
  ProtobufWriter inner, outer;
  inner.varint(1, 150);
  outer.message(3, inner);
  CHECK(bytes_of(outer.data()) == std::vector<int>{0x1a, 0x03, 0x08, 0x96, 0x01});
}

TEST_CASE("protobuf: a packed repeated field holds its varints back to back, an empty one left out") {
  ProtobufWriter writer;
  std::vector<std::uint64_t> values{3, 270, 86942};
  writer.packed(4, values);
  CHECK(bytes_of(writer.data()) == std::vector<int>{0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05});
  ProtobufWriter empty;
  empty.packed(4, std::vector<std::uint64_t>{});
  CHECK(empty.data().empty());
  ProtobufWriter zero;
  zero.int64_unless_zero(9, 0);
  CHECK(zero.data().empty());
}
