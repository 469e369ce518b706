// Symbolisation of raw frames at known addresses of call_sites.cpp (built -O2 -g): exact function names,
// file base names, lines, inline expansion; a build id that does not match leaves frames raw.
#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "raw_snapshot.hpp"
#include "read/snapshot_reader.hpp"
#include "symbolise/frames.hpp"
#include "symbolise/module.hpp"
#include "symbolise/symbolised_file.hpp"

using namespace prof::viewer;

namespace {

using symtest::Loaded;
using symtest::offset_of;
using symtest::program_build_id;
using symtest::raw_snapshot;
using symtest::this_program;

std::string base_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// A raw snapshot's members up to its frames, the module with its build id; the caller writes the rest and
// closes the object.
void write_head_with_build_id(std::ofstream& out, const Loaded& module, const Snapshot& model) {
  out << R"({"format": "libprof-snapshot", "version": 1,
 "meta": {"program": "t", "argv": ["t"], "pid": 1, "ppid": 0, "host": "h",
          "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0,
          "max_rss_bytes": 1, "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0",
          "writer": "preload", "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
          "threads_seen": 1, "cores_online": 2},
 "strings": ["", "kept"],)";
  out << fmt::format(
      R"( "modules": [{{"path": "{}", "build_id": "{}", "base": {}, "size": 1, "unloaded": false}}],)",
      module.path, program_build_id(module), module.base);
  out << R"( "frames": {"columns": ["function", "file", "line", "module", "offset"], "rows": [)";
  for (std::size_t i = 0; i < model.frames.size(); ++i)
    out << (i ? "," : "") << fmt::format("[0,0,0,0,{}]", model.frames[i].offset);
  out << "]},";
}

}  // namespace

TEST_CASE("the test program has a build id and debug info") {
  auto module = this_program();
  CHECK(program_build_id(module).size() >= 16);
}

TEST_CASE("raw frames become functions, files and lines, inlined calls expanded innermost first") {
  auto module = this_program();
  auto snapshot = raw_snapshot(module, program_build_id(module));
  REQUIRE(needs_symbolisation(snapshot));
  auto result = symbolise(snapshot);
  CHECK(result.changed);
  CHECK(result.warnings.empty());
  CHECK(snapshot.symbolised);
  CHECK_FALSE(needs_symbolisation(snapshot));
  CHECK(snapshot.strings[1] == "kept");  // existing strings keep their indices
  REQUIRE(snapshot.stacks.size() == 2);

  auto plain = snapshot.stacks[0];
  REQUIRE(plain.size() == 2);
  const auto& entry = snapshot.frames[plain[0]];
  CHECK(snapshot.string(entry.function) == "symtest::returns_its_return_address()");
  CHECK(base_name(snapshot.string(entry.file)) == "call_sites.cpp");
  CHECK((entry.line == 5 || entry.line == 6));  // the opening line, or its first statement after -O2
  const auto& caller = snapshot.frames[plain[1]];
  CHECK(snapshot.string(caller.function) == "symtest::plain_caller()");
  CHECK(base_name(snapshot.string(caller.file)) == "call_sites.cpp");
  CHECK(caller.line == symtest::kPlainCallLine);
  CHECK_FALSE(caller.inlined);

  auto inlined = snapshot.stacks[1];
  REQUIRE(inlined.size() == 3);   // entry, the inlined helper, the function it was inlined into
  CHECK(plain[0] == inlined[0]);  // the same frame is shared, not duplicated
  const auto& helper = snapshot.frames[inlined[1]];
  // g++ names the abstract instance "inlined_helper"; clang adds the linkage name, demangled.
  CHECK_THAT(snapshot.string(helper.function),
             Catch::Matches("(symtest::\\(anonymous namespace\\)::)?inlined_helper(\\(\\))?"));
  CHECK(base_name(snapshot.string(helper.file)) == "call_sites.cpp");
  CHECK(helper.line == symtest::kInlinedCallLine);
  CHECK(helper.inlined);  // DWARF names an inlined function without a linkage name: its plain name
  const auto& outer = snapshot.frames[inlined[2]];
  CHECK(snapshot.string(outer.function) == "symtest::outer_with_inlined_call()");
  CHECK(outer.line == symtest::kOuterCallLine);
  CHECK_FALSE(outer.inlined);
  CHECK(outer.offset == helper.offset);  // both come from the same return address
}

TEST_CASE("a build id that does not match the file leaves the module's frames raw, said once") {
  auto module = this_program();
  auto snapshot = raw_snapshot(module, "00112233445566778899aabbccddeeff00112233");
  auto result = symbolise(snapshot);
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0].find("build id") != std::string::npos);
  CHECK_FALSE(result.changed);
  for (const auto& frame : snapshot.frames) {
    CHECK(frame.function == 0);
    CHECK(frame.line == 0);
    CHECK(frame.module == 0);
  }
  CHECK(snapshot.stacks[1].size() == 2);
}

TEST_CASE("a module file that is gone leaves its frames raw") {
  auto module = this_program();
  module.path = "/nonexistent/program";
  auto snapshot = raw_snapshot(module, "");
  auto result = symbolise(snapshot);
  CHECK(result.unreadable.size() == 1);
  CHECK_FALSE(result.changed);
  CHECK_FALSE(snapshot.symbolised);
  CHECK(snapshot.frames[snapshot.stacks[0][0]].function == 0);
}

TEST_CASE("a raw snapshot file is replaced by its symbolised version, which validates") {
  auto module = this_program();
  auto model = raw_snapshot(module, program_build_id(module));
  auto dir = std::filesystem::temp_directory_path() / fmt::format("prof-symbolise-{}", getpid());
  std::filesystem::create_directories(dir);
  auto path = (dir / "raw.1.prof.json").string();
  {
    std::ofstream out(path);
    write_head_with_build_id(out, module, model);
    out << R"( "stacks": [[0, 1], [0, 2]],
 "memory": {"sites": {"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes", "leaked_allocations",
                                  "leaked_bytes"], "rows": [[1, 3, 300, 100, 1, 100]]}}})";
  }
  REQUIRE(symbolise_snapshot_file(path));
  auto read = read_snapshot_file(path);
  CHECK(read.symbolised);
  CHECK(read.strings[1] == "kept");
  REQUIRE(read.memory);
  REQUIRE(read.memory->sites.size() == 1);
  auto stack = read.stacks[read.memory->sites[0].stack];
  REQUIRE(stack.size() == 3);
  CHECK(read.frames[stack[1]].inlined);
  CHECK(read.string(read.frames[stack[2]].function) == "symtest::outer_with_inlined_call()");
  auto command = fmt::format("{} {} {}", PROF_TEST_PYTHON, PROF_TEST_VALIDATOR, path);
  CHECK(std::system(command.c_str()) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a reader symbolises a raw snapshot in memory and saves it for the next read") {
  auto module = this_program();
  auto dir = std::filesystem::temp_directory_path() / fmt::format("prof-symbolise-read-{}", getpid());
  std::filesystem::create_directories(dir);
  auto path = (dir / "raw.2.prof.json").string();
  auto model = raw_snapshot(module, "");
  {
    std::ofstream out(path);
    out << R"({"format": "libprof-snapshot", "version": 1,
 "meta": {"program": "t", "argv": ["t"], "pid": 2, "ppid": 0, "host": "h",
          "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0,
          "max_rss_bytes": 1, "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0",
          "writer": "preload", "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
          "threads_seen": 1, "cores_online": 2},)";
    out << fmt::format(R"( "modules": [{{"path": "{}", "base": {}}}],)", module.path, module.base);
    out << R"( "frames": {"columns": ["function", "file", "line", "module", "offset"], "rows": [)";
    for (std::size_t i = 0; i < model.frames.size(); ++i)
      out << (i ? "," : "") << fmt::format("[0,0,0,0,{}]", model.frames[i].offset);
    out << R"(]}, "stacks": [[0, 1], [0, 2]]})";
  }
  auto loaded = load_snapshots({path});
  symbolise_loaded(loaded);
  REQUIRE(loaded[0].symbolised);
  CHECK(loaded[0].string(loaded[0].frames[loaded[0].stacks[0][1]].function) == "symtest::plain_caller()");
  auto again = read_snapshot_file(path);
  CHECK(again.symbolised);  // saved: the next read needs no symbols
  CHECK(again.stacks[1].size() == 3);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a module without debug info gets function names from its symbol table") {
  Dl_info info{};
  auto* address = reinterpret_cast<void*>(&qsort);
  REQUIRE(dladdr(address, &info) != 0);
  Snapshot snapshot;
  auto base = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase));
  snapshot.modules.push_back({info.dli_fname, "", base, 0, false});
  // As a return address would: one byte past the start of qsort, looked up one byte before.
  snapshot.frames.push_back({0, 0, 0, 0, offset_of(address, {info.dli_fname, base}) + 1, false});
  snapshot.stacks.add_frame(0);
  snapshot.stacks.end_stack();
  auto result = symbolise(snapshot);
  REQUIRE(result.changed);
  const auto& frame = snapshot.frames[snapshot.stacks[0][0]];
  CHECK_THAT(snapshot.string(frame.function),
             Catch::EndsWith("qsort"));  // libc may name an alias, __GI_qsort
  CHECK_FALSE(frame.inlined);
}

namespace {

// A raw snapshot of this program's call sites (stack 0 ends in plain_caller), as the shim writes it.
void write_raw_snapshot(const std::string& path) {
  auto module = this_program();
  auto model = raw_snapshot(module, "");
  std::ofstream out(path);
  out << R"({"format": "libprof-snapshot", "version": 1,
 "meta": {"program": "t", "argv": ["t"], "pid": 3, "ppid": 0, "host": "h",
          "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0,
          "max_rss_bytes": 1, "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0",
          "writer": "preload", "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
          "threads_seen": 1, "cores_online": 2},)";
  out << fmt::format(R"( "modules": [{{"path": "{}", "base": {}}}],)", module.path, module.base);
  out << R"( "frames": {"columns": ["function", "file", "line", "module", "offset"], "rows": [)";
  for (std::size_t i = 0; i < model.frames.size(); ++i)
    out << (i ? "," : "") << fmt::format("[0,0,0,0,{}]", model.frames[i].offset);
  out << R"(]}, "stacks": [[0, 1], [0, 2]]})";
}

// Reads PATH as `prof report` does: symbolised in memory, saved when allowed.
Snapshot read_as_report(const std::string& path) {
  auto loaded = load_snapshots({path});
  symbolise_loaded(loaded);
  REQUIRE(loaded[0].symbolised);
  CHECK(loaded[0].string(loaded[0].frames[loaded[0].stacks[0][1]].function) == "symtest::plain_caller()");
  return loaded[0];
}

}  // namespace

TEST_CASE(
    "a saved symbolised snapshot keeps the original's mode and a symlink and its target stay as they were") {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("prof-symbolise-modes-{}", getpid());
  std::filesystem::create_directories(dir);
  // A private snapshot stays private: before, every saved file became 0644.
  auto private_file = (dir / "private.3.prof.json").string();
  write_raw_snapshot(private_file);
  REQUIRE(::chmod(private_file.c_str(), 0600) == 0);
  read_as_report(private_file);
  struct stat status {};
  REQUIRE(::stat(private_file.c_str(), &status) == 0);
  CHECK((status.st_mode & 07777) == 0600);
  CHECK(read_snapshot_file(private_file).symbolised);  // it was saved

  // A symlink is read through and never replaced by a regular copy; its target is not rewritten either.
  auto target = (dir / "target.4.prof.json").string();
  auto link = (dir / "link.4.prof.json").string();
  write_raw_snapshot(target);
  std::filesystem::create_symlink(target, link);
  auto before = std::filesystem::last_write_time(target);
  read_as_report(link);
  CHECK(std::filesystem::is_symlink(link));
  CHECK_FALSE(read_snapshot_file(target).symbolised);
  CHECK(std::filesystem::last_write_time(target) == before);

  // Root reading another user's run: the file keeps its owner and contents (symbolised in memory only).
  if (::geteuid() == 0) {
    auto theirs = (dir / "theirs.5.prof.json").string();
    write_raw_snapshot(theirs);
    REQUIRE(::chown(theirs.c_str(), 65534, 65534) == 0);
    REQUIRE(::chmod(theirs.c_str(), 0400) == 0);
    read_as_report(theirs);
    REQUIRE(::stat(theirs.c_str(), &status) == 0);
    CHECK(status.st_uid == 65534);
    CHECK((status.st_mode & 07777) == 0400);
    CHECK_FALSE(read_snapshot_file(theirs).symbolised);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("prof run's finish, which leaves memory and samples unparsed, saves what a full read saves") {
  auto module = this_program();
  auto model = raw_snapshot(module, program_build_id(module));
  auto dir = std::filesystem::temp_directory_path() / fmt::format("prof-symbolise-tables-{}", getpid());
  std::filesystem::create_directories(dir);
  // The stacks last: the document the finish parses then ends with them. Spelt with blanks (read by the
  // reader) or as the shim writes them (rewritten as text, stacks_text.hpp).
  const bool as_the_shim_writes = GENERATE(false, true);
  auto write = [&](const std::string& path) {
    std::ofstream out(path);
    write_head_with_build_id(out, module, model);
    out << R"(
 "memory": {"sites": {"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes", "leaked_allocations",
                                  "leaked_bytes"], "rows": [[1, 3, 300, 100, 1, 100]]}},
 "samples": {"clock": "cpu", "hz": 199, "period_seconds": 0.005025125628140704, "samples": 7, "dropped": 0,
             "stacks": {"columns": ["stack", "samples", "thread", "waiting"], "rows": [[0, 7, 11, false]]},
             "threads": {"columns": ["thread", "name"], "rows": [[11, "t"]]}},
 "stacks": )"
        << (as_the_shim_writes ? "[[0,1],[0,2]]" : "[[0, 1], [0, 2]]") << "}";
  };
  auto finished = (dir / "finished.1.prof.json").string();
  auto reported = (dir / "reported.1.prof.json").string();
  write(finished);
  write(reported);
  REQUIRE(symbolise_snapshot_file(finished));
  auto loaded = load_snapshots({reported});
  symbolise_loaded(loaded);
  auto text = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  };
  CHECK(text(finished) == text(reported));
  auto read = read_snapshot_file(finished);
  CHECK(read.symbolised);
  REQUIRE(read.samples);
  REQUIRE(read.memory);
  CHECK(read.string(read.frames[read.stacks[read.memory->sites[0].stack][2]].function) ==
        "symtest::outer_with_inlined_call()");
  std::filesystem::remove_all(dir);
}

TEST_CASE("prof run's finish leaves a snapshot with a frame out of range as it is and says nothing") {
  auto module = this_program();
  auto model = raw_snapshot(module, program_build_id(module));
  auto dir = std::filesystem::temp_directory_path() / fmt::format("prof-symbolise-bad-frame-{}", getpid());
  std::filesystem::create_directories(dir);
  auto path = (dir / "bad.1.prof.json").string();
  {
    std::ofstream out(path);
    write_head_with_build_id(out, module, model);
    // Spelt as the shim writes stacks, so the text path sees the bad frame number first.
    out << R"(
 "memory": {"sites": {"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes", "leaked_allocations",
                                  "leaked_bytes"], "rows": [[1, 3, 300, 100, 1, 100]]}},
 "stacks": [[999999,1],[0,2]]})";
  }
  auto text = [](const std::string& file) {
    std::ifstream in(file);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  };
  const auto before = text(path);
  // What `prof report` says about the table is the reader's error, once, when it reads the file; the finish
  // says nothing (it once said "cannot save the symbolised snapshot").
  int capture = memfd_create("stderr", MFD_CLOEXEC);
  int saved_stderr = dup(STDERR_FILENO);
  dup2(capture, STDERR_FILENO);
  const bool saved = symbolise_snapshot_file(path);
  dup2(saved_stderr, STDERR_FILENO);
  close(saved_stderr);
  const auto said = lseek(capture, 0, SEEK_END);
  close(capture);
  CHECK_FALSE(saved);
  CHECK(said == 0);
  CHECK(text(path) == before);
  CHECK_THROWS_WITH(read_snapshot_file(path), Catch::Contains("frame 999999 is out of range"));
  std::filesystem::remove_all(dir);
}
