// Programs the loader will not preload into run unchanged under prof run, which says so once and leaves no
// snapshot: a static binary (ldconfig) and a setuid one (passwd).
#include <sys/stat.h>

#include <algorithm>

#include "real_program_checks.hpp"

using namespace prof::test;

namespace {

void check_untraced_like_plain(const RealProgram& program, const std::string& reason) {
  const SideBySide run = run_side_by_side(program);
  INFO("traced stderr: " << run.traced.err);
  CHECK(run.traced.exit_code == run.plain.exit_code);
  CHECK(run.traced.out == run.plain.out);
  CHECK(run.traced_err_without_prof == run.plain.err);
  const std::string said =
      "prof: " + program.argv.front() + " is " + reason + ": it runs untraced, no snapshot";
  CHECK(std::count(run.prof_lines.begin(), run.prof_lines.end(), said) == 1);
  CHECK(run.snapshots.empty());
}

}  // namespace

TEST_CASE("ldconfig -p, a static binary: unchanged, untraced, said once", "[real_programs]") {
  const std::string ldconfig =
      !find_program("/sbin/ldconfig").empty() ? "/sbin/ldconfig" : "/usr/sbin/ldconfig";
  if (!have_program(ldconfig)) return;
  check_untraced_like_plain(RealProgram({ldconfig, "-p"}), "a static binary");
}

TEST_CASE("passwd --help, a setuid program: unchanged, untraced, said once", "[real_programs]") {
  struct stat info;
  if (::stat("/usr/bin/passwd", &info) != 0 || !(info.st_mode & S_ISUID)) {
    WARN("SKIPPED: no setuid /usr/bin/passwd here");
    return;
  }
  check_untraced_like_plain(RealProgram({"/usr/bin/passwd", "--help"}), "setuid");
}
