#pragma once
// Reads a snapshot table ({"columns": [...], "rows": [[...], ...]}) by column name: columns the viewer does
// not know are skipped, a required column that is missing makes the snapshot invalid.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "read/json_access.hpp"

namespace prof::viewer {

class TableReader {
 public:
  // `name` locates the table in messages, e.g. "memory.sites".
  TableReader(const json::element& table, std::string name);

  std::size_t require_column(std::string_view column) const;
  std::optional<std::size_t> find_column(std::string_view column) const;
  std::size_t row_count() const { return rows_.size(); }

  // One row at a time; the cells stay valid until the next call to next().
  bool next();
  std::size_t row_index() const { return row_ - 1; }
  std::int64_t integer(std::size_t column) const;
  std::int64_t count(std::size_t column) const;
  // A string-table index (or any index into a table of `size` entries).
  std::uint32_t index(std::size_t column, std::size_t size, std::string_view table) const;
  bool boolean(std::size_t column) const;

 private:
  std::string where(std::size_t column) const;

  std::string name_;
  std::vector<std::string> columns_;
  json::array rows_;
  json::array::iterator next_row_;
  std::size_t row_ = 0;
  std::vector<json::element> cells_;
};

}  // namespace prof::viewer
