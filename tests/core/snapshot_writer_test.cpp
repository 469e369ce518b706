#include "core/snapshot_writer.hpp"

#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/output_dir.hpp"
#include "test_support.hpp"

using namespace prof::core;
using namespace prof::test;

namespace {

char g_argv0[] = "/usr/bin/writer_test";
char* g_argv[] = {g_argv0, nullptr};
char g_env0[] = "PROF_TEST_MARK=yes";
char* g_env[] = {g_env0, nullptr};

void start(const fs::path& output) {
  clock::init();
  meta::capture_start(1, g_argv, g_env);
  output_dir::resolve(output.c_str());
}

void write_answer(JsonWriter& out, void* context) {
  out.begin_object();
  out.field("answer", *static_cast<int*>(context));
  out.end_object();
}

MetaRequest exited(int code) {
  MetaRequest request;
  request.exit.kind = ExitStatus::Kind::exited;
  request.exit.code = code;
  request.writer = "library";
  return request;
}

}  // namespace

TEST_CASE("a snapshot holds format, version, meta and registered sections", "[snapshot_writer]") {
  TempDir dir;
  start(dir.path());
  static int answer = 42;
  REQUIRE(register_section("answer", write_answer, &answer));
  REQUIRE(write_snapshot(exited(0)));
  std::string expected = "writer_test." + std::to_string(getpid()) + ".prof.json";
  CHECK(std::string(last_snapshot_name()) == expected);
  REQUIRE(entries_in(dir.path()) == std::vector<std::string>{expected});
  CHECK(validate(dir.path()) == 0);

  simdjson::dom::parser parser;
  simdjson::dom::object doc = parser.load((dir.path() / expected).string());
  CHECK(std::string_view(doc["format"]) == "libprof-snapshot");
  CHECK(int64_t(doc["version"]) == 1);
  CHECK(int64_t(doc["answer"]["answer"]) == 42);
  CHECK(std::string_view(doc["meta"]["env"]["PROF_TEST_MARK"]) == "yes");

  // A second exit snapshot of the same process does not replace the first.
  REQUIRE(write_snapshot(exited(1)));
  CHECK(std::string(last_snapshot_name()) == "writer_test." + std::to_string(getpid()) + "-2.prof.json");
  CHECK(snapshots_in(dir.path()).size() == 2);
  CHECK(validate(dir.path()) == 0);
}

TEST_CASE("on-demand snapshots carry their sequence in the name", "[snapshot_writer]") {
  TempDir dir;
  start(dir.path());
  MetaRequest request;
  request.sequence = 1;
  request.label = "warm";
  REQUIRE(write_snapshot(request));
  CHECK(std::string(last_snapshot_name()) == "writer_test." + std::to_string(getpid()) + ".1.prof.json");
  CHECK(validate(dir.path()) == 0);
}

TEST_CASE("a missing output directory is created, one level only", "[snapshot_writer]") {
  TempDir dir;
  start(dir.path() / "made");
  REQUIRE(write_snapshot(exited(0)));
  CHECK(snapshots_in(dir.path() / "made").size() == 1);
  CHECK(validate(dir.path() / "made") == 0);
  start(dir.path() / "a" / "b");
  CHECK_FALSE(write_snapshot(exited(0)));
  CHECK_FALSE(fs::exists(dir.path() / "a"));
}

TEST_CASE("a snapshot that cannot be written gives one warning line and keeps errno", "[snapshot_writer]") {
  TempDir dir;
  fs::path blocker = dir.path() / "file";
  std::ofstream(blocker) << "x";
  start(blocker / "out");
  int capture = memfd_create("stderr", MFD_CLOEXEC);
  int saved_stderr = dup(STDERR_FILENO);
  dup2(capture, STDERR_FILENO);
  errno = 1234;
  bool first = write_snapshot(exited(0));
  int errno_after = errno;
  bool second = write_snapshot(exited(0));
  dup2(saved_stderr, STDERR_FILENO);
  close(saved_stderr);
  CHECK_FALSE(first);
  CHECK_FALSE(second);
  CHECK(errno_after == 1234);
  off_t size = lseek(capture, 0, SEEK_END);
  std::string text(static_cast<std::size_t>(size), '\0');
  REQUIRE(pread(capture, text.data(), text.size(), 0) == size);
  close(capture);
  CHECK(text ==
        "prof: warning: cannot write snapshot to " + (blocker / "out").string() + ": Not a directory\n");
}

TEST_CASE("a relative output directory is resolved at start, not at write", "[snapshot_writer]") {
  TempDir dir;
  fs::path before = fs::current_path();
  fs::current_path(dir.path());
  start("rel");
  fs::current_path("/");
  REQUIRE(write_snapshot(exited(0)));
  fs::current_path(before);
  CHECK(snapshots_in(dir.path() / "rel").size() == 1);
  CHECK(validate(dir.path() / "rel") == 0);
}
