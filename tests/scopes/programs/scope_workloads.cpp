// Workloads with planted busy-waits for the scope profiler's tests: `scope_workloads NAME`. Each writes its
// snapshots into PROF_OUTPUT (on demand and at exit); the tests compare them with what was planted here.

#include <prof/prof.hpp>

#include <pthread.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "busy_wait.hpp"

using prof::test::busy_wait_ms;

void empty_children_instrumented(long count);
void empty_children_plain(long count);

namespace work {

// outer: 3 calls, 2 ms self each; inner: 3 calls of 5 ms under outer.
void nested() {
  for (int i = 0; i < 3; ++i) {
    PROF_SCOPE("outer");
    busy_wait_ms(2, "outer self");
    {
      PROF_SCOPE("inner");
      busy_wait_ms(5, "inner");
    }
  }
}

// 25 levels of one function, 2 ms of its own each: calls 25/1. The truth is kept in a plain array so no
// bookkeeping (allocation, lock) runs inside the scopes besides the spin.
long long g_level_ns[26];

void recurse(int levels) {
  PROF_FUNCTION();
  g_level_ns[levels] = prof::test::spin_ms(2);
  if (levels > 1) recurse(levels - 1);
}

// Below the depth limit: every level is a node until max_depth, then one "(deeper)" node.
void deep(int levels) {
  PROF_FUNCTION();
  if (levels > 1) deep(levels - 1);
}

void worker_body() {
  for (int i = 0; i < 2; ++i) {
    PROF_SCOPE("worker");
    busy_wait_ms(2, "worker self");
    PROF_SCOPE("task");
    busy_wait_ms(5, "task");
  }
}

void* pthread_worker(void*) {
  worker_body();
  return nullptr;
}

// 4 threads (2 std::thread, 2 raw pthreads), each: worker 2 calls (2 ms self), task 2 calls (5 ms). The main
// thread takes an on-demand snapshot while they run.
void threads() {
  std::vector<std::thread> started;
  for (int i = 0; i < 2; ++i)
    started.emplace_back(worker_body);
  pthread_t raw[2];
  for (auto& t : raw)
    pthread_create(&t, nullptr, pthread_worker, nullptr);
  busy_wait_ms(3);
  prof::write_snapshot("while running");
  for (auto& t : started)
    t.join();
  for (auto& t : raw)
    pthread_join(t, nullptr);
}

// On-demand numbering and reset: "first" sees before_reset, "second" and the exit snapshot only after_reset.
void snapshots() {
  {
    PROF_SCOPE("before_reset");
    busy_wait_ms(1, "before_reset");
  }
  prof::write_snapshot("first");
  prof::reset();
  {
    PROF_SCOPE("after_reset");
    busy_wait_ms(1, "after_reset");
  }
  prof::write_snapshot("second");
}

// prof::enable(false) drops the scopes in between.
void toggled() {
  { PROF_SCOPE("recorded_before"); }
  prof::enable(false);
  { PROF_SCOPE("not_recorded"); }
  prof::enable(true);
  { PROF_SCOPE("recorded_after"); }
  prof::write_snapshot("toggled");
}

// The same loop of a million empty scopes with and without the macros, each inside a parent scope, in
// rounds of one on-demand snapshot each, so the test can set aside a round the scheduler disturbed.
void compensation() {
  constexpr long kChildren = 1000000;
  for (int round = 0; round < 7; ++round) {
    prof::reset();
    {
      PROF_SCOPE("plain loop");
      empty_children_plain(kChildren);
    }
    {
      PROF_SCOPE("instrumented loop");
      empty_children_instrumented(kChildren);
    }
    prof::write_snapshot("compensation round");
  }
}

}  // namespace work

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::string_view name = argv[1];
  if (name == "nested") {
    work::nested();
  } else if (name == "recursive") {
    work::recurse(25);
    for (int level = 1; level <= 25; ++level)
      prof::test::planted().add("recurse level " + std::to_string(level), work::g_level_ns[level]);
  } else if (name == "deep") {
    work::deep(300);
  } else if (name == "threads") {
    work::threads();
  } else if (name == "snapshots") {
    work::snapshots();
  } else if (name == "toggled") {
    work::toggled();
  } else if (name == "compensation") {
    work::compensation();
  } else if (name == "disabled") {
    // Run with PROF_SCOPES=0: nothing is recorded, the on-demand snapshot has no threads.
    work::nested();
    prof::write_snapshot("disabled");
  } else {
    return 2;
  }
  prof::test::planted().print();
  return 0;
}
