#pragma once
// The "across N ranks" tables: for rows of a merged report (scopes, memory sites, MPI operations), how the
// figure spread over the processes: sum, min (rank), mean, max (rank), cv and max/mean.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "merge/process_label.hpp"
#include "merge/spread.hpp"
#include "report/table.hpp"

namespace prof::viewer {

struct AcrossRow {
  std::string name;
  std::vector<Cell> lead;  // csv/json-only cells before the figures (e.g. file, line)
  SpreadStats stats;
};

enum class AcrossUnit { seconds, bytes, count };

struct AcrossSpec {
  std::string key;                   // json key of the table
  std::string name_title;            // "scope", "site", "operation"
  std::vector<Column> lead_columns;  // match AcrossRow::lead; csv/json only
  AcrossUnit unit = AcrossUnit::seconds;
};

// `members`: the processes the figures came from, by the ordinal given to Spread::add. Rows keep their
// order (callers sort them by sum, biggest first).
Table across_table(const AcrossSpec& spec, const std::vector<AcrossRow>& rows,
                   const std::vector<ProcessLabel>& members);

}  // namespace prof::viewer
