#include "report/table.hpp"

#include <algorithm>

#include "units.hpp"

namespace prof::viewer {

Cell Cell::bytes(std::int64_t value) {
  return {format_bytes(static_cast<double>(value)), value};
}
Cell Cell::seconds(double value) {
  return {format_seconds(value), value};
}
Cell Cell::count(std::int64_t value) {
  return {std::to_string(value), value};
}
Cell Cell::ratio(double value) {
  return {format_ratio(value), value == value ? RawValue{value} : RawValue{}};
}
Cell Cell::string(std::string value) {
  return {value, std::move(value)};
}
Cell Cell::number(double value) {
  auto text = format_ratio(value);
  if (text != "-") text.pop_back();
  return {text, value};
}

bool Table::has_column(const std::string& column_key) const {
  return std::any_of(columns.begin(), columns.end(), [&](const Column& c) { return c.key == column_key; });
}

namespace {

double as_number(const RawValue& value) {
  if (auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&value)) return *d;
  return -1;  // no value sorts last
}

}  // namespace

void Table::sort_by(const std::string& column_key) {
  auto it =
      std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.key == column_key; });
  if (it == columns.end()) return;
  const auto k = static_cast<std::size_t>(it - columns.begin());
  std::stable_sort(rows.begin(), rows.end(), [k](const auto& a, const auto& b) {
    const auto& x = a[k].raw;
    const auto& y = b[k].raw;
    if (std::holds_alternative<std::string>(x) && std::holds_alternative<std::string>(y))
      return std::get<std::string>(x) < std::get<std::string>(y);
    return as_number(x) > as_number(y);
  });
}

void Table::keep_top(std::size_t count) {
  if (rows.size() > count) rows.resize(count);
}

}  // namespace prof::viewer
