#include "read/json_access.hpp"

#include <fmt/format.h>

namespace prof::viewer::json {

void fail(const std::string& what) {
  throw FormatError(what);
}

const char* describe(const element& value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return "an integer";
    case simdjson::dom::element_type::DOUBLE:
      return "a number";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "an unknown value";
}

namespace {

[[noreturn]] void wrong_type(const element& value, std::string_view where, std::string_view expected) {
  fail(fmt::format("{}: expected {}, found {}", where, expected, describe(value)));
}

}  // namespace

object to_object(const element& value, std::string_view where) {
  object result;
  if (value.get(result) != simdjson::SUCCESS) wrong_type(value, where, "an object");
  return result;
}

array to_array(const element& value, std::string_view where) {
  array result;
  if (value.get(result) != simdjson::SUCCESS) wrong_type(value, where, "an array");
  return result;
}

std::int64_t to_int(const element& value, std::string_view where) {
  std::int64_t result = 0;
  auto error = value.get(result);
  if (error == simdjson::NUMBER_OUT_OF_RANGE) fail(fmt::format("{}: integer out of range", where));
  if (error != simdjson::SUCCESS) wrong_type(value, where, "an integer");
  return result;
}

std::int64_t to_count(const element& value, std::string_view where) {
  std::int64_t result = to_int(value, where);
  if (result < 0) fail(fmt::format("{}: must not be negative, found {}", where, result));
  return result;
}

double to_number(const element& value, std::string_view where) {
  double result = 0;
  if (value.get(result) != simdjson::SUCCESS) wrong_type(value, where, "a number");
  return result;
}

std::string_view to_string(const element& value, std::string_view where) {
  std::string_view result;
  if (value.get(result) != simdjson::SUCCESS) wrong_type(value, where, "a string");
  return result;
}

bool to_bool(const element& value, std::string_view where) {
  bool result = false;
  if (value.get(result) != simdjson::SUCCESS) wrong_type(value, where, "a boolean");
  return result;
}

std::optional<element> find(const object& parent, std::string_view key) {
  element result;
  if (parent.at_key(key).get(result) != simdjson::SUCCESS) return std::nullopt;
  return result;
}

element require(const object& parent, std::string_view key, std::string_view where) {
  auto value = find(parent, key);
  if (!value) fail(fmt::format("{}: missing required key \"{}\"", where, key));
  return *value;
}

std::string join(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : fmt::format("{}.{}", where, key);
}

std::optional<double> optional_number(const object& parent, std::string_view key, std::string_view where) {
  auto value = find(parent, key);
  if (!value) return std::nullopt;
  return to_number(*value, join(where, key));
}

}  // namespace prof::viewer::json
