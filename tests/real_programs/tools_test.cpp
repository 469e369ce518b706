// Command-line tools under prof run: git, a bash pipeline, sort --parallel, xz -T2, cmake, g++, make -j2.
#include <fstream>
#include <iterator>

#include "real_program_checks.hpp"

using namespace prof::test;

namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("git init, commit and log in a fresh repository", "[real_programs]") {
  if (!have_program("git")) return;
  // Fixed dates and identity make the commit hash, and so the whole output, the same in both runs.
  const char* script =
      "git init -q -b main . && "
      "git -c user.name=a -c user.email=b commit -q --allow-empty -m x && "
      "git -c user.name=a -c user.email=b commit --allow-empty -m y && "
      "git log --format='%H %s'";
  const SideBySide run = check_traced_like_plain(RealProgram({"bash", "-c", script})
                                                     .with_env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
                                                     .with_env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
                                                     .with_env("GIT_CONFIG_NOSYSTEM", "1")
                                                     .with_env("HOME", "/nonexistent"),
                                                 Stderr::compare, 4);
  CHECK(run.plain.exit_code == 0);
  CHECK(run.plain.out.find(" y\n") != std::string::npos);
  CHECK(run.plain.out.ends_with(" x\n"));
}

TEST_CASE("bash pipeline: seq | sort -rn | head -3", "[real_programs]") {
  if (!have_program("bash")) return;
  const SideBySide run =
      check_traced_like_plain(RealProgram({"bash", "-c", "seq 1 20000 | sort -rn | head -3"}));
  CHECK(run.plain.out == "20000\n19999\n19998\n");
}

TEST_CASE("sort --parallel=2 on a generated file", "[real_programs]") {
  if (!have_program("sort")) return;
  const SideBySide run = check_traced_like_plain(
      RealProgram({"sort", "--parallel=2", "-S", "1M", "-n", "input.txt"})
          .with_setup("seq 1 2 400000 > odd; seq 2 2 400000 > even; paste -d '\\n' even odd > input.txt"));
  CHECK(run.plain.out.size() == file_bytes(run.plain_dir / "input.txt").size());
  CHECK(run.plain.out.starts_with("1\n2\n3\n"));
}

TEST_CASE("xz -T2 -c: the same compressed bytes", "[real_programs]") {
  if (!have_program("xz")) return;
  // Small blocks so that both threads get work from a few MB of input.
  const SideBySide run =
      check_traced_like_plain(RealProgram({"xz", "-T2", "--block-size=1MiB", "-1", "-c", "input.txt"})
                                  .with_setup("seq 1 700000 > input.txt"));
  CHECK(run.plain.exit_code == 0);
  CHECK(
      run.plain.out.starts_with("\xFD"
                                "7zXZ"));
}

TEST_CASE("cmake --version", "[real_programs]") {
  if (!have_program("cmake")) return;
  const SideBySide run = check_traced_like_plain(RealProgram({"cmake", "--version"}));
  CHECK(run.plain.out.starts_with("cmake version "));
}

TEST_CASE("g++ compiling a file: same diagnostics, exit code and object file", "[real_programs]") {
  if (!have_program("g++")) return;
  const SideBySide run = check_traced_like_plain(
      RealProgram({"g++", "-O1", "-Wall", "-c", "hello.cpp", "-o", "hello.o"})
          .with_setup(
              "printf '#include <string>\\n#include <vector>\\n"
              "int count(){ int unused; std::vector<std::string> v(3, \"x\"); return (int)v.size(); }\\n' "
              "> hello.cpp"),
      Stderr::compare, 2);
  CHECK(run.plain.exit_code == 0);
  CHECK(run.plain.err.find("unused variable") != std::string::npos);
  const std::string plain_object = file_bytes(run.plain_dir / "hello.o");
  CHECK_FALSE(plain_object.empty());
  CHECK(file_bytes(run.traced_dir / "hello.o") == plain_object);
}

TEST_CASE("make -j2 on a tiny generated Makefile", "[real_programs]") {
  if (!have_program("make")) return;
  // Two jobs run at once; the final rule prints their results in a fixed order.
  const char* makefile =
      "printf 'all: a.txt b.txt\\n\\t@cat a.txt b.txt\\n"
      "a.txt:\\n\\t@seq 1 3 > a.txt\\n"
      "b.txt:\\n\\t@seq 4 6 > b.txt\\n' > Makefile";
  const SideBySide run =
      check_traced_like_plain(RealProgram({"make", "-j2"}).with_setup(makefile), Stderr::compare, 3);
  CHECK(run.plain.out == "1\n2\n3\n4\n5\n6\n");
}
