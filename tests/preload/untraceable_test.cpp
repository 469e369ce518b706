// prof run on programs the loader will not preload into: static binaries and setuid/setgid ones run
// unchanged (output, exit code), with one line on stderr and no snapshot.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "run/untraceable.hpp"
#include "test_support.hpp"

using namespace prof::test;
using prof::viewer::run::untraceable_reason;

namespace {

const std::string kProf = std::string(PROF_TEST_BIN_DIR) + "/prof";

bool is_setuid(const char* path) {
  struct stat info;
  return ::stat(path, &info) == 0 && (info.st_mode & S_ISUID);
}

void check_runs_unchanged(const std::vector<std::string>& command, const std::string& expected_line) {
  TempDir scratch;
  fs::path output = scratch.path() / "out";
  RunResult plain = run(command, {}, scratch.path());
  std::vector<std::string> under_prof = {kProf, "run", "-o", output.string(), "--"};
  under_prof.insert(under_prof.end(), command.begin(), command.end());
  RunResult traced = run(under_prof, {}, scratch.path());
  CHECK(traced.code() == plain.code());
  CHECK(traced.out == plain.out);
  CHECK(traced.err == expected_line + plain.err);
  CHECK_FALSE(fs::exists(output));
}

}  // namespace

TEST_CASE("untraceable_reason tells static, setuid and ordinary programs apart", "[untraceable]") {
  CHECK(untraceable_reason("/bin/true") == "");
  CHECK(untraceable_reason("sh") == "");  // looked up in PATH
  CHECK(untraceable_reason("/nonexistent/program") == "");
  CHECK(untraceable_reason(std::string(PROF_TEST_SOURCE_DIR) + "/README.md") == "");
  if (fs::exists("/sbin/ldconfig")) CHECK(untraceable_reason("/sbin/ldconfig") == "a static binary");
  if (is_setuid("/usr/bin/passwd")) CHECK(untraceable_reason("/usr/bin/passwd") == "setuid");
}

TEST_CASE("prof run ldconfig -p: a static binary runs unchanged, one line says it is untraced",
          "[untraceable]") {
  if (!fs::exists("/sbin/ldconfig")) {
    WARN("no /sbin/ldconfig here");
    return;
  }
  check_runs_unchanged({"/sbin/ldconfig", "-p"},
                       "prof: /sbin/ldconfig is a static binary: it runs untraced, no snapshot\n");
}

TEST_CASE("prof run passwd: a setuid program runs unchanged, exit code included", "[untraceable]") {
  if (!is_setuid("/usr/bin/passwd")) {
    WARN("no setuid /usr/bin/passwd here");
    return;
  }
  check_runs_unchanged({"/usr/bin/passwd", "--help"},
                       "prof: /usr/bin/passwd is setuid: it runs untraced, no snapshot\n");
  check_runs_unchanged({"/usr/bin/passwd", "--no-such-option"},
                       "prof: /usr/bin/passwd is setuid: it runs untraced, no snapshot\n");
}
