#pragma once
// Typed access to a simdjson DOM with error messages that say where in the snapshot the problem is.
// A problem throws FormatError; the reader turns it into a UserError naming the file.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace prof::viewer::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& what);

// "an integer", "a string", ...: for "expected X, found Y" messages.
const char* describe(const element& value);

object to_object(const element& value, std::string_view where);
array to_array(const element& value, std::string_view where);
std::int64_t to_int(const element& value, std::string_view where);
// An integer that must not be negative: counts, bytes, nanoseconds.
std::int64_t to_count(const element& value, std::string_view where);
double to_number(const element& value, std::string_view where);
std::string_view to_string(const element& value, std::string_view where);
bool to_bool(const element& value, std::string_view where);

std::optional<element> find(const object& parent, std::string_view key);
// The value of a key the format requires; `where` names the parent ("meta", "memory.summary").
element require(const object& parent, std::string_view key, std::string_view where);

std::string join(std::string_view where, std::string_view key);
// The number at `key`, or nothing when the key is absent; throws UserError when it is there but no number.
std::optional<double> optional_number(const object& parent, std::string_view key, std::string_view where);

}  // namespace prof::viewer::json
