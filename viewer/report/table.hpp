#pragma once
// What a report is made of, independent of the output format: sections holding facts (one value each) and
// tables. Every cell carries both its human text (for --format text) and its raw value in base units (bytes,
// seconds) for csv and json.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace prof::viewer {

using RawValue = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

struct Cell {
  std::string text;
  RawValue raw;

  static Cell bytes(std::int64_t value);
  static Cell seconds(double value);
  static Cell count(std::int64_t value);
  static Cell ratio(double value);  // NaN when there is none
  static Cell string(std::string value);
  static Cell number(double value);  // a plain number shown with three significant digits
};

enum class Align { left, right };

struct Column {
  std::string key;    // for --sort, and with the unit the csv/json name
  std::string title;  // text header
  std::string unit;   // "bytes", "seconds" or "": appended to the csv/json name
  Align align = Align::right;
  bool elastic = false;   // shrinks (keeping its end) when the text table is wider than the terminal
  bool csv_only = false;  // left out of the 80-column text table; CSV and JSON carry it
  std::string raw_name() const { return unit.empty() ? key : key + "_" + unit; }
};

struct Table {
  std::string key;    // json key, e.g. "processes"
  std::string title;  // text heading; may be empty
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::size_t total_rows = 0;  // before --top trimmed them

  bool has_column(const std::string& column_key) const;
  // Numbers descending (biggest first), text ascending; stable, so ties keep the current order.
  void sort_by(const std::string& column_key);
  void keep_top(std::size_t count);
};

struct Fact {
  std::string key;    // csv/json name, units included
  std::string label;  // text label
  Cell value;
};

struct Section {
  std::string key;  // "meta", "scopes", "memory", "timers"
  std::string title;
  bool present = true;
  std::string absent_note;  // one line saying why there is nothing, when !present
  std::vector<Fact> facts;
  std::vector<Table> tables;
  // Said after the tables in text, as "warnings" in json, on stderr with csv; usually none.
  std::vector<std::string> warnings;
};

}  // namespace prof::viewer
