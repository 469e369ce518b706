#include "read/table_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace prof::viewer {

TableReader::TableReader(const json::element& table, std::string name) : name_(std::move(name)) {
  auto object = json::to_object(table, name_);
  auto columns = json::to_array(json::require(object, "columns", name_), json::join(name_, "columns"));
  for (auto column : columns) {
    auto text = std::string(json::to_string(column, json::join(name_, "columns")));
    if (std::find(columns_.begin(), columns_.end(), text) != columns_.end())
      json::fail(fmt::format("{}.columns: column \"{}\" appears twice", name_, text));
    columns_.push_back(std::move(text));
  }
  rows_ = json::to_array(json::require(object, "rows", name_), json::join(name_, "rows"));
  next_row_ = rows_.begin();
  cells_.reserve(columns_.size());
}

std::optional<std::size_t> TableReader::find_column(std::string_view column) const {
  auto it = std::find(columns_.begin(), columns_.end(), column);
  if (it == columns_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - columns_.begin());
}

std::size_t TableReader::require_column(std::string_view column) const {
  auto found = find_column(column);
  if (!found) json::fail(fmt::format("{}: missing required column \"{}\"", name_, column));
  return *found;
}

bool TableReader::next() {
  if (next_row_ == rows_.end()) return false;
  // The row's name is formatted only for a message: a million rows per run directory would format it for
  // nothing (a tenth of the parse floor, docs/PERFORMANCE.md).
  json::array row;
  if ((*next_row_).get(row) != simdjson::SUCCESS)
    json::to_array(*next_row_, fmt::format("{}.rows[{}]", name_, row_));
  // Counted while walking, not with array::size(), which saturates on huge arrays.
  cells_.clear();
  std::size_t width = 0;
  for (auto cell : row)
    if (width++ < columns_.size()) cells_.push_back(cell);
  if (width != columns_.size())
    json::fail(fmt::format("{}.rows[{}]: {} values for {} columns", name_, row_, width, columns_.size()));
  ++next_row_;
  ++row_;
  return true;
}

std::string TableReader::where(std::size_t column) const {
  return fmt::format("{}.rows[{}].{}", name_, row_index(), columns_[column]);
}

std::int64_t TableReader::integer(std::size_t column) const {
  std::int64_t value = 0;
  if (cells_[column].get(value) == simdjson::SUCCESS) return value;
  return json::to_int(cells_[column], where(column));
}

std::int64_t TableReader::count(std::size_t column) const {
  std::int64_t value = integer(column);
  if (value < 0) json::fail(fmt::format("{}: must not be negative, found {}", where(column), value));
  return value;
}

std::uint32_t TableReader::index(std::size_t column, std::size_t size, std::string_view table) const {
  std::int64_t value = integer(column);
  if (value < 0 || static_cast<std::uint64_t>(value) >= size)
    json::fail(
        fmt::format("{}: index {} is out of range ({} has {} entries)", where(column), value, table, size));
  return static_cast<std::uint32_t>(value);
}

bool TableReader::boolean(std::size_t column) const {
  bool value = false;
  if (cells_[column].get(value) == simdjson::SUCCESS) return value;
  return json::to_bool(cells_[column], where(column));
}

}  // namespace prof::viewer
