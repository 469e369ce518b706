// Strings are bytes (issue 11, item 16): a path or a command line that is not UTF-8 is written as \udcXX
// escapes and read back as the same bytes, through the reader, the symbolised file and prof timeit's file.
#include <catch2/catch.hpp>

#include "read/path_bytes.hpp"
#include "read/snapshot_files.hpp"
#include "read/snapshot_reader.hpp"
#include "scratch_dir.hpp"
#include "symbolise/symbolised_file.hpp"
#include "timeit_command/results.hpp"
#include "timeit_command/snapshot.hpp"

using namespace prof::viewer;
using prof::test::ScratchDir;

namespace {

// As the shim writes a program named caf\xe9 whose source file is caf\xe9.c (a Latin-1 file system).
const std::string kRaw = R"({"format": "libprof-snapshot", "version": 1,
 "meta": {"program": "caf\udce9", "argv": ["./caf\udce9", "-o", "\udcff\udc80", "\ud800\udc80 pair"],
          "pid": 5, "ppid": 1, "host": "h",
          "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0,
          "max_rss_bytes": 1, "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0",
          "writer": "preload", "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
          "threads_seen": 1, "cores_online": 2},
 "strings": ["", "main", "/src/caf\udce9.c", "quote\"\\udce9 is text"],
 "modules": [{"path": "/bin/caf\uDCE9", "base": 4194304}],
 "frames": {"columns": ["function", "file", "line", "module", "offset"], "rows": [[1, 2, 7, 0, 16]]},
 "stacks": [[0]]})";

void check_bytes(const Snapshot& snapshot) {
  CHECK(snapshot.meta.program == "caf\xE9");
  REQUIRE(snapshot.meta.argv.size() == 4);
  CHECK(snapshot.meta.argv[0] == "./caf\xE9");
  CHECK(snapshot.meta.argv[2] == "\xFF\x80");
  CHECK(snapshot.meta.argv[3] == "\xF0\x90\x82\x80 pair");  // a real surrogate pair is a character: U+10080
  CHECK(snapshot.strings[2] == "/src/caf\xE9.c");
  CHECK(snapshot.strings[3] == "quote\"\\udce9 is text");  // an escaped backslash is not an escape
  CHECK(snapshot.modules[0].path == "/bin/caf\xE9");
}

}  // namespace

TEST_CASE("\\udcXX escapes read back as the bytes they stand for") {
  // Before: "not valid JSON (Problem while parsing a string)", for good.
  check_bytes(parse_snapshot(kRaw, "raw.json"));
}

TEST_CASE("a run directory's meta peek reads escaped bytes too") {
  ScratchDir dir;
  dir.file("caf.5.prof.json", kRaw);
  auto files = list_snapshot_files({dir.path()});
  REQUIRE(files.size() == 1);
  auto loaded = load_snapshots({dir.path()});
  REQUIRE(loaded.size() == 1);
  check_bytes(loaded[0]);
}

TEST_CASE("a symbolised document with bytes that are not UTF-8 stays valid JSON and reads back the same") {
  auto model = parse_snapshot(kRaw, "raw.json");
  // A file name from DWARF, as bytes, and the code points the reader reserves, as literal text.
  model.strings.push_back("/src/na\xEFve.c");
  model.strings.push_back("\xF4\x8F\xBE\x80 literal");
  auto document = symbolised_document(kRaw, model);
  // The format's spelling throughout, so Python's json + surrogateescape reads the same bytes.
  CHECK(document.find("\xF4\x8F") == std::string::npos);
  // (Members other than the tables are copied as written, spacing included.)
  CHECK(document.find(R"("program": "caf\udce9")") != std::string::npos);
  CHECK(document.find(R"("/src/na\udcefve.c")") != std::string::npos);
  auto again = parse_snapshot(document, "symbolised.json");
  check_bytes(again);
  CHECK(again.strings[4] == "/src/na\xEFve.c");
  CHECK(again.strings[5] == "\xF4\x8F\xBE\x80 literal");
  // And once more: symbolising a symbolised document changes nothing.
  auto third = parse_snapshot(symbolised_document(document, again), "again.json");
  check_bytes(third);
  CHECK(third.strings == again.strings);
}

TEST_CASE("prof timeit's snapshot of a command that is not UTF-8 reads back") {
  CommandTiming timing;
  timing.timing.name =
      "./caf\xE9 --input donn\xE9"
      "es";
  timing.timing.source = "command";
  timing.timing.runs = 2;
  timing.timing.loops = 1;
  timing.timing.samples = {0.5, 0.5};
  auto json = timeit_snapshot_json(timeit_process_start(), {timing}, {});
  auto snapshot = parse_snapshot(json, "timeit.json");
  REQUIRE(snapshot.timers);
  REQUIRE(snapshot.timers->timings.size() == 1);
  CHECK(snapshot.timers->timings[0].name ==
        "./caf\xE9 --input donn\xE9"
        "es");
}

TEST_CASE("the escape rewriting leaves documents without byte escapes alone") {
  CHECK_FALSE(with_byte_escapes_rewritten(R"({"a": "caf\u00e9", "b": "\ud83d\ude00"})"));
  std::string text = "no reserved code points";
  restore_bytes(text);
  CHECK(text == "no reserved code points");
}
