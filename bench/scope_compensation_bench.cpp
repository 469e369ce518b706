// How much of the instrumentation's cost the overhead compensation removes (issue 12, item 6): the loop of
// the scopes.compensation test (tests/scopes/programs/empty_children.inc, built with and without the macros)
// in rounds, each inside a parent scope, one snapshot per round. bench/scope_compensation_bench.py runs it
// and reads the snapshots; results and the command are in docs/PERFORMANCE.md ("Overhead compensation").
//
//   scope_compensation_bench [ROUNDS [CHILDREN]]   (PROF_OUTPUT names the directory of the snapshots)
//
// A round during which the thread was preempted measures the scheduler, not the compensation: its snapshot is
// labelled "preempted" (involuntary context switches in RUSAGE_THREAD) and the script sets it aside.
#include <prof/prof.hpp>

#include <sys/resource.h>

#include <cstdlib>

void empty_children_instrumented(long count);
void empty_children_plain(long count);

namespace {

long involuntary_switches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nivcsw;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  long children = argc > 2 ? std::atol(argv[2]) : 1000000;
  if (rounds < 1 || children < 1) return 2;
  // Untimed: the instrumented loop's nodes exist before the first round, as they do after the test's first.
  empty_children_plain(children);
  empty_children_instrumented(children);
  for (int round = 0; round < rounds; ++round) {
    prof::reset();
    long switches = involuntary_switches();
    {
      PROF_SCOPE("plain loop");
      empty_children_plain(children);
    }
    {
      PROF_SCOPE("instrumented loop");
      empty_children_instrumented(children);
    }
    prof::write_snapshot(involuntary_switches() == switches ? "undisturbed" : "preempted");
  }
  return 0;
}
