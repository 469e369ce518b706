// The stacks table read before the DOM parser (read/plain_stacks): the same table and the same messages as
// the DOM reader, which still reads every shape the plain path declines. A key written with an escape
// ("st\u0061cks", the same key to the DOM) makes the reader take the DOM path: each case is read both ways.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "error.hpp"
#include "read/plain_stacks.hpp"
#include "read/snapshot_reader.hpp"

using namespace prof::viewer;

namespace {

const std::string kHead = R"({"format": "libprof-snapshot", "version": 1, "meta": {"program": "p", "argv": [],
  "pid": 5, "ppid": 1, "host": "h", "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0,
  "system_seconds": 0, "max_rss_bytes": 0, "exit": {"status": "running"}, "libprof_version": "0.1.0",
  "writer": "prof", "clock": {"source": "tsc", "tsc_hz": 1e9}, "threads_seen": 1, "cores_online": 1},
  "strings": ["", "f \"[quoted]\" {"], "frames": {"columns": ["function", "file", "line", "module", "offset"],
  "rows": [)";

// A snapshot of `frames` frames whose stacks value is `stacks`, under the plain key or the escaped one.
std::string snapshot(std::size_t frames, const std::string& stacks, bool escaped_key) {
  std::string text = kHead;
  for (std::size_t i = 0; i < frames; ++i)
    text += (i ? ", " : "") + std::string("[1, 0, ") + std::to_string(i) + ", -1, 0]";
  text += R"(]}, ")" + std::string(escaped_key ? "st\\u0061cks" : "stacks") + R"(": )" + stacks;
  text += R"(, "memory": {"sites": {"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
    "leaked_allocations", "leaked_bytes"], "rows": []}}})";
  return text;
}

std::vector<std::vector<std::uint32_t>> stacks_of(const Snapshot& s) {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::size_t i = 0; i < s.stacks.size(); ++i)
    out.emplace_back(s.stacks[i].begin(), s.stacks[i].end());
  return out;
}

std::string error_of(const std::string& json) {
  try {
    parse_snapshot(json, "x.prof.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("plain stacks: the table read before the parser equals the DOM reader's") {
  // Indices of one to five digits, spacing as libprof writes it and as a hand may, empty stacks.
  const std::string stacks =
      "[[0, 9, 10, 99, 12345, 10000], [],[ 7 ,8 ],\n [\t1234 ] , [12001,  100], [3,\n4,5], [5]]";
  auto fast = parse_snapshot(snapshot(12346, stacks, false), "fast.prof.json");
  auto dom = parse_snapshot(snapshot(12346, stacks, true), "dom.prof.json");
  const std::vector<std::vector<std::uint32_t>> planted{
      {0, 9, 10, 99, 12345, 10000}, {}, {7, 8}, {1234}, {12001, 100}, {3, 4, 5}, {5}};
  CHECK(stacks_of(fast) == planted);
  CHECK(stacks_of(dom) == planted);
  // And the plain path did take it.
  std::string plain = R"({"stacks": )" + stacks + R"(, "memory": {}})";
  CHECK(take_plain_stacks(plain.data(), plain.size()));
  CHECK(parse_snapshot(snapshot(3, "[]", false), "x").stacks.size() == 0);
  // Six and seven digits (frames tables that large are read the same way).
  std::string text = R"({"stacks": [[1234567, 100000, 9999999]], "x": 1})";
  auto big = take_plain_stacks(text.data(), text.size());
  REQUIRE(big);
  CHECK(std::vector<std::uint32_t>(big->table[0].begin(), big->table[0].end()) ==
        std::vector<std::uint32_t>{1234567, 100000, 9999999});
  CHECK(big->max_frame == 9999999);
}

TEST_CASE("plain stacks: the value is blanked in place, the rest of the text untouched") {
  std::string text = R"({"a": "x\"]", "b": [{"c": "[["}], "stacks": [[1, 2], [3]], "d": 1})";
  auto stacks = take_plain_stacks(text.data(), text.size());
  REQUIRE(stacks);
  CHECK(stacks->table.size() == 2);
  CHECK(stacks->max_frame == 3);
  // "[[1, 2], [3]]" is 13 bytes: "[]" and 11 spaces.
  CHECK(text == R"({"a": "x\"]", "b": [{"c": "[["}], "stacks": [])" + std::string(11, ' ') + R"(, "d": 1})");
}

TEST_CASE("plain stacks: other shapes are left to the DOM reader, text unchanged") {
  for (std::string stacks : {"[[1, -2]]", "[[1.5]]", "[[1e2]]", "[[01]]", "[[12345678]]", "[[[1]]]", "[[1,]]",
                             "[[1] [2]]", "{}", "[[\"1\"]]", "[[1]"}) {
    std::string text = R"({"stacks": )" + stacks + R"(, "x": 1})";
    const std::string before = text;
    INFO(stacks);
    CHECK_FALSE(take_plain_stacks(text.data(), text.size()));
    CHECK(text == before);
  }
  // A key with an escape before "stacks" could be a "stacks" of its own to the DOM: not looked past.
  std::string escaped = R"({"st\u0061cks": [[1]], "stacks": [[2]]})";
  CHECK_FALSE(take_plain_stacks(escaped.data(), escaped.size()));
}

TEST_CASE("plain stacks: a bad stack is worded as the DOM reader words it") {
  for (bool escaped : {false, true}) {
    INFO((escaped ? "DOM path" : "plain path"));
    CHECK(error_of(snapshot(2, "[[0, 1], [1, 2]]", escaped)) ==
          "stacks[1]: frame 2 is out of range (frames has 2 entries)");
    CHECK(error_of(snapshot(2, "[[0, -1]]", escaped)) ==
          "stacks[0]: frame -1 is out of range (frames has 2 entries)");
    CHECK(error_of(snapshot(0, "[[0]]", escaped)) ==
          "stacks[0]: frame 0 is out of range (frames has 0 entries)");
    CHECK(error_of(snapshot(2, "[[0, 1]", escaped)).starts_with("not valid JSON"));
  }
}
