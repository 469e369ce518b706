// Interpreters under prof run: python3 (threads, a fork pool, its own allocator off), perl, tclsh, sqlite3,
// node. Each plants a known result and a known exit code, and must give both unchanged.
#include "real_program_checks.hpp"

using namespace prof::test;

namespace {
const std::string kPython = "/usr/bin/python3";
}

TEST_CASE("python3 with four threads: same output and exit code", "[real_programs]") {
  if (!have_program(kPython)) return;
  const char* script =
      "import sys, threading\n"
      "totals = [0] * 4\n"
      "def work(i):\n"
      "    totals[i] = sum(len(str(n) * 3) for n in range(50000 * (i + 1)))\n"
      "threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]\n"
      "for t in threads: t.start()\n"
      "for t in threads: t.join()\n"
      "print(totals)\n"
      "sys.exit(3)\n";
  const SideBySide run =
      check_traced_like_plain(RealProgram({kPython, "-c", script}), Stderr::compare, 1, false);
  CHECK(run.plain.exit_code == 3);
  CHECK(run.plain.out == "[716670, 1466670, 2366670, 3266670]\n");
}

TEST_CASE("python3 multiprocessing pool of 2 (fork): every process leaves a snapshot", "[real_programs]") {
  if (!have_program(kPython)) return;
  // close() and join() let both workers exit by themselves: the parent and the two workers write one each.
  const char* script =
      "import multiprocessing as mp\n"
      "def square(n): return n * n\n"
      "pool = mp.get_context('fork').Pool(2)\n"
      "print(sum(pool.map(square, range(1000))))\n"
      "pool.close()\n"
      "pool.join()\n";
  const SideBySide run =
      check_traced_like_plain(RealProgram({kPython, "-c", script}), Stderr::compare, 3, false);
  CHECK(run.snapshots.size() == 3);
  CHECK(run.plain.out == "332833500\n");
}

// Leaving `with Pool(2)` calls terminate(), which sends SIGTERM to workers that may be writing their exit
// snapshot already: the signal must wait until the file is whole (it once lost one run in twenty).
TEST_CASE("python3 Pool(2) ended by terminate(): every worker still leaves a snapshot", "[real_programs]") {
  if (!have_program(kPython)) return;
  const char* script =
      "import multiprocessing as mp\n"
      "def square(n): return n * n\n"
      "with mp.get_context('fork').Pool(2) as pool:\n"
      "    print(sum(pool.map(square, range(1000))))\n";
  for (int attempt = 0; attempt < 10; ++attempt) {
    const SideBySide run = run_side_by_side(RealProgram({kPython, "-c", script}));
    INFO("attempt " << attempt << ": " << run.traced.err);
    CHECK(run.traced.out == run.plain.out);
    CHECK(run.snapshots.size() == 3);
    CHECK(validate_snapshots_in(run.snapshot_dir) == 0);
  }
}

TEST_CASE("python3 with PYTHONMALLOC=malloc: every object goes through malloc", "[real_programs]") {
  if (!have_program(kPython)) return;
  const char* script =
      "d = {i: [i] * 10 for i in range(100000)}\n"
      "print(len(d), sum(len(v) for v in d.values()))\n";
  const SideBySide run = check_traced_like_plain(
      RealProgram({kPython, "-c", script}).with_env("PYTHONMALLOC", "malloc"), Stderr::compare, 1, false);
  CHECK(run.plain.out == "100000 1000000\n");
}

TEST_CASE("perl: same output and exit code", "[real_programs]") {
  if (!have_program("perl")) return;
  const SideBySide run = check_traced_like_plain(
      RealProgram({"perl", "-e",
                   "my %h; $h{$_} = $_ * 2 for 1..100000; print scalar(keys %h), qq(\\n); "
                   "print STDERR qq(to stderr\\n); exit 5"}));
  CHECK(run.plain.exit_code == 5);
  CHECK(run.plain.out == "100000\n");
  CHECK(run.plain.err == "to stderr\n");
}

TEST_CASE("sqlite3 :memory: 'select 6*7'", "[real_programs]") {
  if (!have_program("sqlite3")) return;
  const SideBySide run = check_traced_like_plain(RealProgram({"sqlite3", ":memory:", "select 6*7"}));
  CHECK(run.plain.out == "42\n");
}

TEST_CASE("tclsh reading its script from stdin", "[real_programs]") {
  if (!have_program("tclsh")) return;
  const SideBySide run = check_traced_like_plain(RealProgram({"tclsh"}).with_input("puts [expr 6*7]\n"));
  CHECK(run.plain.out == "42\n");
}

TEST_CASE("node -e: same output and exit code", "[real_programs]") {
  if (!have_program("node")) return;
  const SideBySide run =
      check_traced_like_plain(RealProgram({"node", "-e",
                                           "const a = Array.from({length: 100000}, (_, i) => 'x' + i); "
                                           "console.log(a.length, 6 * 7); process.exitCode = 4;"}),
                              Stderr::compare, 1, false);
  CHECK(run.plain.exit_code == 4);
  CHECK(run.plain.out == "100000 42\n");
}

// python3 and node are non-PIE executables whose dynamic symbol table holds a canonical PLT entry for malloc
// (UND with a non-zero value): dlsym(RTLD_DEFAULT, "malloc") names the executable although every call still
// reaches the shim's malloc. The tracer must not take that for an allocator of the program's own.
TEST_CASE("the memory tracer stays on in python3 and node (canonical PLT entries for malloc)",
          "[real_programs]") {
  const std::vector<std::vector<std::string>> commands = {{kPython, "-c", "print(1)"},
                                                          {"node", "-e", "console.log(1)"}};
  for (const std::vector<std::string>& command : commands) {
    if (!have_program(command.front())) continue;
    const SideBySide run = run_side_by_side(RealProgram(command));
    INFO(command.front() << " under prof run said: " << run.traced.err);
    CHECK_FALSE(tracer_stepped_aside(run));
    CHECK(total_allocations(run.snapshot_dir) > 0);
  }
}
