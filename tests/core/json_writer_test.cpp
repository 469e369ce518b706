#include "core/json_writer.hpp"

#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cerrno>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

using prof::core::JsonWriter;

namespace {

// Runs `body` on a writer with a buffer of `capacity` bytes and returns everything it wrote.
std::string written(const std::function<void(JsonWriter&)>& body, std::size_t capacity = 4096) {
  int fd = memfd_create("json", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string buffer(capacity, '\0');
  JsonWriter out(fd, buffer.data(), buffer.size());
  body(out);
  REQUIRE(out.flush());
  off_t size = lseek(fd, 0, SEEK_END);
  std::string text(static_cast<std::size_t>(size), '\0');
  REQUIRE(pread(fd, text.data(), text.size(), 0) == size);
  close(fd);
  return text;
}

std::string written_string(std::string_view value) {
  return written([&](JsonWriter& out) { out.value(value); });
}

// Parses a JSON string literal back with simdjson (which rejects invalid JSON and invalid UTF-8).
std::string parsed_string(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view value = parser.parse(json);
  return std::string(value);
}

}  // namespace

TEST_CASE("json_writer puts commas and colons where JSON needs them", "[json_writer]") {
  std::string text = written([](JsonWriter& out) {
    out.begin_object();
    out.field("a", 1);
    out.key("b");
    out.begin_array();
    out.value(1);
    out.value(2);
    out.begin_object();
    out.key("c");
    out.null();
    out.end_object();
    out.begin_array();
    out.end_array();
    out.end_array();
    out.key("d");
    out.begin_object();
    out.end_object();
    out.field("e", true);
    out.field("f", false);
    out.end_object();
  });
  CHECK(text == R"({"a":1,"b":[1,2,{"c":null},[]],"d":{},"e":true,"f":false})");
}

TEST_CASE("json_writer escapes quotes, backslashes and control characters", "[json_writer]") {
  std::string raw = std::string("q\"b\\n\nt\tr\rb\bf\f") + '\x01' + '\x1f' + "/" + '\0' + "end";
  std::string text = written_string(raw);
  CHECK(text == R"("q\"b\\n\nt\tr\rb\bf\f\u0001\u001f/\u0000end")");
  CHECK(parsed_string(text) == raw);
}

TEST_CASE("json_writer keeps valid UTF-8 and escapes other bytes as \\udcXX", "[json_writer]") {
  const std::string valid = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é, €, U+1F600
  CHECK(parsed_string(written_string(valid)) == valid);

  // Paths are bytes: each byte outside well-formed UTF-8 is written as \udcXX (Python's surrogateescape),
  // which prof's reader maps back to the byte; before, U+FFFD replaced it and the path was lost.
  struct Case {
    std::string input, expected;
  };
  const Case cases[] = {
      {"caf\xE9.c", R"("caf\udce9.c")"},  // Latin-1 file name
      {"a\xFF"
       "b",
       R"("a\udcffb")"},                                      // never valid
      {"\xC0\x80", R"("\udcc0\udc80")"},                      // overlong NUL
      {"\xE0\x80\xAF", R"("\udce0\udc80\udcaf")"},            // overlong '/'
      {"\xED\xA0\x80", R"("\udced\udca0\udc80")"},            // UTF-16 surrogate
      {"\xF4\x90\x80\x80", R"("\udcf4\udc90\udc80\udc80")"},  // above U+10FFFF
      {"x\xE2\x82", R"("x\udce2\udc82")"},                    // cut short at the end
      {"\x80", R"("\udc80")"},                                // stray continuation byte
      {"\xF4\x8F\xBE\x80", R"("\udcf4\udc8f\udcbe\udc80")"},  // U+10FF80: read back as a byte
  };
  for (const Case& c : cases)
    CHECK(written_string(c.input) == c.expected);
}

TEST_CASE("json_writer writes integers and doubles that parse back exactly", "[json_writer]") {
  const std::int64_t ints[] = {0, -1, 42, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max()};
  for (std::int64_t i : ints) {
    simdjson::dom::parser parser;
    CHECK(std::int64_t(parser.parse(written([&](JsonWriter& out) { out.value(i); }))) == i);
  }
  const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
  CHECK(written([&](JsonWriter& out) { out.value(big); }) == "18446744073709551615");

  const double doubles[] = {0.1, 1.5, -2.25, 1e300, 5e-324, 2.45e9, 1.0 / 3.0, 123456789.125};
  for (double d : doubles) {
    std::string text = written([&](JsonWriter& out) { out.value(d); });
    simdjson::dom::parser parser;
    simdjson::dom::element e = parser.parse(text);
    double back = e.is_double() ? double(e) : static_cast<double>(std::int64_t(e));
    CHECK(back == d);
  }
  CHECK(written([](JsonWriter& out) { out.value(0.1); }) ==
        "0.1");  // shortest form, not 0.1000000000000000055
}

TEST_CASE("json_writer writes every integer below 10 001 as to_string does, at any buffer room",
          "[json_writer]") {
  // Numbers below 10 000 take a path of their own (digit pairs from a table), with 4 bytes of room.
  std::string expected = "[";
  for (int i = 0; i <= 10000; ++i)
    expected += (i ? "," : "") + std::to_string(i);
  expected += ",-1,-9999,99999,65535]";
  auto body = [](JsonWriter& out) {
    out.begin_array();
    for (unsigned i = 0; i <= 10000; ++i)
      out.value(i);
    out.value(-1);
    out.value(std::int64_t{-9999});
    out.value(std::uint64_t{99999});
    out.value(std::uint16_t{65535});
    out.end_array();
  };
  for (std::size_t size : {1, 3, 4, 5, 4096})
    CHECK(written(body, size) == expected);
}

TEST_CASE("json_writer writes NaN and infinities as null", "[json_writer]") {
  std::string text = written([](JsonWriter& out) {
    out.begin_array();
    out.value(std::nan(""));
    out.value(std::numeric_limits<double>::infinity());
    out.value(-std::numeric_limits<double>::infinity());
    out.end_array();
  });
  CHECK(text == "[null,null,null]");
}

TEST_CASE("json_writer output does not depend on the buffer size", "[json_writer]") {
  auto body = [](JsonWriter& out) {
    out.begin_object();
    for (int i = 0; i < 200; ++i) {
      out.key("key_\xE2\x82\xAC_" + std::to_string(i));
      out.value(i * 0.5);
      // Integers go straight into the buffer when 21 bytes are free, through a copy otherwise.
      out.key("n_" + std::to_string(i));
      out.begin_array();
      out.value(std::numeric_limits<std::int64_t>::min() + i);
      out.value(std::numeric_limits<std::uint64_t>::max() - static_cast<std::uint64_t>(i));
      out.value(i);
      out.end_array();
    }
    out.end_object();
  };
  std::string large = written(body, 65536);
  for (std::size_t size : {1, 7, 20, 21, 22, 64})
    CHECK(written(body, size) == large);
  simdjson::dom::parser parser;
  CHECK(simdjson::dom::object(parser.parse(large)).size() == 400);
}

TEST_CASE("json_writer reports a failed write", "[json_writer]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  close(fds[1]);
  char buffer[16];
  JsonWriter out(fds[0], buffer, sizeof buffer);  // the read end cannot be written
  out.begin_array();
  for (int i = 0; i < 100; ++i)
    out.value(i);
  out.end_array();
  CHECK_FALSE(out.flush());
  CHECK(out.failed());
  CHECK(out.error() == EBADF);
  close(fds[0]);
}
