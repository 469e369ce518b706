#pragma once
// Reads a snapshot's `scopes` section back with simdjson (independently of the viewer's reader) so the tests
// can compare its numbers with the planted ones, and checks the compensation arithmetic of every node.

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace prof::test {

struct ScopeRow {
  std::int64_t parent, site, calls, primitive_calls, total_ns, self_ns, raw_total_ns, raw_self_ns;
  std::int64_t open_calls;  // 0 when the column is absent (snapshots before it)
};

struct ScopeThread {
  std::int64_t id = -1, tid = -1;
  std::string name;
  bool ended = false;
  std::vector<ScopeRow> rows;
};

struct ScopeSnapshot {
  std::string writer, exit_status, label;
  std::int64_t exit_code = -1, sequence = -1;
  bool has_scopes = false;
  double inner_ns = 0, outer_ns = 0;
  bool calibrated = false;
  std::int64_t calibrations = 0;  // overhead.measurements
  std::int64_t max_depth = 0;
  std::vector<std::string> strings;
  std::vector<std::string> site_names;  // by site index
  std::vector<ScopeThread> threads;

  const std::string& site_name(const ScopeRow& row) const { return site_names.at(row.site); }

  // Rows of `thread` whose site is called `name`.
  std::vector<ScopeRow> rows_named(const ScopeThread& thread, const std::string& name) const {
    std::vector<ScopeRow> found;
    for (const auto& row : thread.rows)
      if (site_name(row) == name) found.push_back(row);
    return found;
  }
};

inline std::int64_t column_of(simdjson::dom::array columns, const std::string& name) {
  std::int64_t i = 0;
  for (auto column : columns) {
    if (std::string_view(column) == name) return i;
    ++i;
  }
  FAIL("no column " << name);
  return -1;
}

inline ScopeSnapshot read_scope_snapshot(const std::filesystem::path& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file.string());
  ScopeSnapshot s;
  simdjson::dom::object meta = doc["meta"];
  s.writer = std::string(std::string_view(meta["writer"]));
  s.exit_status = std::string(std::string_view(meta["exit"]["status"]));
  if (auto code = meta["exit"]["code"]; !code.error()) s.exit_code = int64_t(code);
  if (auto label = meta["label"]; !label.error()) s.label = std::string(std::string_view(label));
  if (auto sequence = meta["sequence"]; !sequence.error()) s.sequence = int64_t(sequence);
  if (auto strings = doc["strings"]; !strings.error())
    for (auto entry : simdjson::dom::array(strings))
      s.strings.emplace_back(std::string_view(entry));
  auto scopes_value = doc["scopes"];
  if (scopes_value.error()) return s;
  s.has_scopes = true;
  simdjson::dom::object scopes = scopes_value;
  s.inner_ns = double(scopes["overhead"]["inner_ns"]);
  s.outer_ns = double(scopes["overhead"]["outer_ns"]);
  s.calibrated = bool(scopes["overhead"]["calibrated"]);
  s.calibrations = std::int64_t(scopes["overhead"]["measurements"]);
  s.max_depth = int64_t(scopes["max_depth"]);
  simdjson::dom::array site_columns = scopes["sites"]["columns"];
  auto name_column = column_of(site_columns, "name");
  for (auto row : simdjson::dom::array(scopes["sites"]["rows"]))
    s.site_names.push_back(s.strings.at(std::size_t(int64_t(simdjson::dom::array(row).at(name_column)))));
  for (auto thread_value : simdjson::dom::array(scopes["threads"])) {
    ScopeThread thread;
    thread.id = int64_t(thread_value["id"]);
    thread.tid = int64_t(thread_value["tid"]);
    thread.name = std::string(std::string_view(thread_value["name"]));
    thread.ended = bool(thread_value["ended"]);
    simdjson::dom::array columns = thread_value["nodes"]["columns"];
    std::int64_t at[8];
    const char* names[8] = {"parent",   "site",    "calls",        "primitive_calls",
                            "total_ns", "self_ns", "raw_total_ns", "raw_self_ns"};
    for (int i = 0; i < 8; ++i)
      at[i] = column_of(columns, names[i]);
    std::int64_t open_at = -1, position = 0;
    for (auto column : columns) {
      if (std::string_view(column) == "open_calls") open_at = position;
      ++position;
    }
    for (auto row_value : simdjson::dom::array(thread_value["nodes"]["rows"])) {
      simdjson::dom::array row = row_value;
      auto get = [&](int i) { return int64_t(row.at(std::size_t(at[i]))); };
      std::int64_t open = open_at < 0 ? 0 : int64_t(row.at(std::size_t(open_at)));
      thread.rows.push_back({get(0), get(1), get(2), get(3), get(4), get(5), get(6), get(7), open});
    }
    s.threads.push_back(std::move(thread));
  }
  return s;
}

// The documented arithmetic, recomputed from the raw columns: parents first, no negative time, and
// total = max(0, raw_total - calls * inner - descendant_calls * (inner + outer)), self = total - children's
// totals.
inline void check_scope_arithmetic(const ScopeSnapshot& s) {
  for (const auto& thread : s.threads) {
    const auto& rows = thread.rows;
    std::vector<std::int64_t> descendant_calls(rows.size(), 0), children_total(rows.size(), 0),
        children_raw(rows.size(), 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      REQUIRE(rows[i].parent < static_cast<std::int64_t>(i));
      REQUIRE(rows[i].site >= 0);
      REQUIRE(rows[i].site < static_cast<std::int64_t>(s.site_names.size()));
      REQUIRE(rows[i].total_ns >= 0);
      REQUIRE(rows[i].self_ns >= 0);
      REQUIRE(rows[i].raw_self_ns >= 0);
      REQUIRE(rows[i].primitive_calls <= rows[i].calls);
      REQUIRE(rows[i].open_calls >= 0);
      REQUIRE(rows[i].open_calls <= rows[i].calls);
    }
    for (std::size_t i = rows.size(); i-- > 0;) {
      if (rows[i].parent < 0) continue;
      auto p = static_cast<std::size_t>(rows[i].parent);
      descendant_calls[p] += descendant_calls[i] + rows[i].calls;
      children_total[p] += rows[i].total_ns;
      children_raw[p] += rows[i].raw_total_ns;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double expected = std::max(0.0, double(rows[i].raw_total_ns) - double(rows[i].calls) * s.inner_ns -
                                          double(descendant_calls[i]) * (s.inner_ns + s.outer_ns));
      // Each figure is rounded to whole nanoseconds on its own.
      CHECK(std::abs(double(rows[i].total_ns) - expected) <= 1.0 + 1e-9 * expected);
      CHECK(std::abs(rows[i].self_ns - std::max<std::int64_t>(0, rows[i].total_ns - children_total[i])) <=
            std::int64_t(rows.size()));
      CHECK(
          std::abs(rows[i].raw_self_ns - std::max<std::int64_t>(0, rows[i].raw_total_ns - children_raw[i])) <=
          std::int64_t(rows.size()));
    }
  }
}

}  // namespace prof::test
