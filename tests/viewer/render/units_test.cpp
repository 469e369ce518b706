#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "units.hpp"

using namespace prof::viewer;

TEST_CASE("bytes are shown in binary units with three significant digits") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(1023) == "1023 B");
  CHECK(format_bytes(1024) == "1.00 KiB");
  CHECK(format_bytes(1536) == "1.50 KiB");
  CHECK(format_bytes(10 * 1024 + 512) == "10.5 KiB");
  CHECK(format_bytes(123.4 * 1024) == "123 KiB");
  CHECK(format_bytes(1048575) == "1.00 MiB");  // rounds up into the next unit, not "1024 KiB"
  CHECK(format_bytes(3.0 * 1024 * 1024 * 1024) == "3.00 GiB");
}

TEST_CASE("seconds are shown in ns, us, ms or s with three significant digits") {
  CHECK(format_seconds(0) == "0 s");
  CHECK(format_seconds(0.0001234) == "123 us");
  CHECK(format_seconds(1.2e-5) == "12.0 us");
  CHECK(format_seconds(5e-9) == "5.00 ns");
  CHECK(format_seconds(0.75) == "750 ms");
  CHECK(format_seconds(0.9999) == "1.00 s");
  CHECK(format_seconds(2.5) == "2.50 s");
  CHECK(format_seconds(90.25) == "90.2 s");
  CHECK(format_seconds(1234) == "1234 s");
}

TEST_CASE("ratios have three significant digits and none when the base is zero") {
  CHECK(format_ratio(2.0) == "2.00x");
  CHECK(format_ratio(0.5) == "0.50x");
  CHECK(format_ratio(12.345) == "12.3x");
  CHECK(format_ratio(std::nan("")) == "-");
}

TEST_CASE("sums of untrusted counts saturate instead of overflowing") {
  CHECK(add_saturating(INT64_MAX, 1) == INT64_MAX);
  CHECK(add_saturating(2, 3) == 5);
}

TEST_CASE("huge values print in scientific notation, not as hundreds of digits") {
  // A crafted snapshot may hold 1e308 seconds or bytes: before, 309 digits.
  CHECK(format_seconds(1e308) == "1.00e+308 s");
  CHECK(format_seconds(-1e308) == "-1.00e+308 s");
  CHECK(format_seconds(999999) == "999999 s");
  CHECK(format_seconds(1234567) == "1.23e+06 s");
  CHECK(format_bytes(1e308) == "8.88e+292 PiB");
  CHECK(format_ratio(1e308) == "1.00e+308x");
  CHECK(format_seconds(std::numeric_limits<double>::infinity()) == "-");
}
