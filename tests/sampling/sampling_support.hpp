#pragma once
// What the sampling report tests share: `prof run` into a temporary directory, and `prof report`/`prof diff`
// csv read back as rows of named cells.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace prof::test::sampling {

inline const std::string kPrograms = PROF_SAMPLING_PROGRAMS_DIR;
inline const std::string kProf = std::string(PROF_TEST_BIN_DIR) + "/prof";

inline RunResult prof_run(const TempDir& dir, const std::string& run, const std::vector<std::string>& options,
                          const std::vector<std::string>& command, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {kProf, "run", "-o", (dir.path() / run).string()};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return prof::test::run(argv, env, dir.path());
}

// The run directory `run` of `dir`, as an absolute path.
inline std::string at(const TempDir& dir, const std::string& run) {
  return (dir.path() / run).string();
}

// One csv table: its header's names, then one map per row (no cell of ours holds a comma).
struct Csv {
  std::vector<std::string> columns;
  std::vector<std::map<std::string, std::string>> rows;
  // The first row whose `key` cell is `value`; fails the test when there is none.
  const std::map<std::string, std::string>& row(const std::string& key, const std::string& value) const {
    for (const auto& r : rows)
      if (r.at(key) == value) return r;
    FAIL("no row with " << key << " = " << value);
    return rows.front();
  }
  double number(const std::string& key, const std::string& value, const std::string& column) const {
    return std::stod(row(key, value).at(column));
  }
};

inline Csv parse_csv(const std::string& text) {
  Csv csv;
  std::istringstream lines(text);
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::istringstream fields(l);
    for (std::string cell; std::getline(fields, cell, ',');)
      cells.push_back(cell);
    if (!l.empty() && l.back() == ',') cells.emplace_back();
    return cells;
  };
  if (!std::getline(lines, line)) return csv;
  csv.columns = split(line);
  while (std::getline(lines, line)) {
    auto cells = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < csv.columns.size(); ++i)
      row[csv.columns[i]] = i < cells.size() ? cells[i] : "";
    csv.rows.push_back(std::move(row));
  }
  return csv;
}

// `prof ARGS... --format csv` in `dir`, which must succeed.
inline Csv prof_csv(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), kProf);
  args.push_back("--format");
  args.push_back("csv");
  auto result = prof::test::run(args, {}, dir.path());
  INFO(result.err);
  REQUIRE(result.code() == 0);
  return parse_csv(result.out);
}

}  // namespace prof::test::sampling
